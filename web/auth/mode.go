package auth

import (
	"context"
	"net"
	"strings"
)

// LocalUser is who makes every change in single-user mode. It is not an account.
const LocalUser = "local"

// IsLoopback reports whether a listen address (host:port, as given to serve) is reachable
// from this machine only. An empty host means every interface, so it is not loopback.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	if i := strings.IndexByte(host, '%'); i >= 0 {
		host = host[:i]
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// SingleUser reports whether the workbench runs without logins: only while no account
// exists and the server listens on loopback only. Everyone who can reach it is then the
// machine's own user, acting as an admin.
func SingleUser(accounts int, addr string) bool {
	return accounts == 0 && IsLoopback(addr)
}

// SingleUser is SingleUser with the store's current number of accounts. It asks the database
// every time, so an account added with the CLI while the server runs takes effect at once.
func (s *Store) SingleUser(ctx context.Context, addr string) (bool, error) {
	if !IsLoopback(addr) {
		return false, nil
	}
	var exists bool
	if err := s.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM users)`).Scan(&exists); err != nil {
		return false, err
	}
	return !exists, nil
}
