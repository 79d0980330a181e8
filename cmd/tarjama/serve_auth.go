package main

import (
	"context"
	"fmt"

	"github.com/tarjama/tarjama/web/auth"
)

// checkListen refuses to serve beyond loopback while no account exists: single-user mode
// trusts everyone who can connect, which is only the machine's own user on loopback.
func checkListen(addr string, accounts int) error {
	if accounts > 0 || auth.IsLoopback(addr) {
		return nil
	}
	return fmt.Errorf("refusing to listen on %s: no account exists yet, so anyone who can reach that address "+
		"could read and change everything. Add an account first (echo PASSWORD | tarjama user add NAME --role admin), "+
		"or listen on loopback only (--addr 127.0.0.1:8080)", addr)
}

// openAccounts returns the account store for serve once checkListen allows addr, and says
// whether logins are needed.
func openAccounts(ctx context.Context, e *env, a *app, addr string) (*auth.Store, error) {
	users := auth.NewStore(a.db.W, a.db.R, a.now)
	n, err := users.Count(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkListen(addr, n); err != nil {
		return nil, err
	}
	if n == 0 {
		e.log.Info("single-user mode: no accounts exist, so no login is asked for on loopback; add one with `tarjama user add` to require logins")
	} else {
		e.log.Info("logins required", "accounts", n)
	}
	return users, nil
}
