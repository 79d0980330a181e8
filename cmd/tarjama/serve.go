package main

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/tarjama/tarjama/web"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "serve")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	maxConns := fs.Int("max-conns", 0, fmt.Sprintf("most connections open at once; more are answered 503 server busy (default $%s, else %d)", envMaxConns, web.DefaultMaxConns))
	addBackendFlags(fs, &e.cfg)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrf("unexpected argument %q", pos[0])
	}
	conns, err := e.cfg.serveMaxConns(*maxConns)
	if err != nil {
		return err
	}
	a, err := open(ctx, e, *dbPath)
	if err != nil {
		return err
	}
	defer a.Close()
	// Runs are not marked here: one whose process stopped reads as interrupted once its
	// lease lapses (store.RunLease), and one still going in another process (a `tarjama
	// translate`) keeps running.
	users, err := openAccounts(ctx, e, a, *addr)
	if err != nil {
		return err
	}
	tr, err := newTranslator(ctx, a, e)
	if err != nil {
		return err
	}
	defer tr.Close()
	backup := func(ctx context.Context, w io.Writer) error { return streamBackup(ctx, a.db, w) }
	srv, err := web.NewServer(web.Config{Articles: a.articles, Memory: a.memory, Glossary: a.glossary, MT: tr, Logger: e.log, Auth: users, ListenAddr: *addr,
		Backup: backup, Conns: web.ConnLimits{MaxConns: conns}})
	if err != nil {
		return err
	}
	return srv.ListenAndServe(ctx, *addr, func(ln net.Addr) {
		e.log.Info("Tarjama is ready", "url", "http://"+ln.String()+"/", "db", *dbPath, "backend", tr.Describe())
	})
}
