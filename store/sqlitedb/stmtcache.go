package sqlitedb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"

	"modernc.org/sqlite"
)

// maxCachedStatements bounds each connection's statement cache. The store's
// and replica's SQL is constant text, a few hundred statements in all; the
// bound only matters for SQL built at run time (an IN list of varying
// length), which is then prepared and finalized as before once it is full.
const maxCachedStatements = 384

// openCached opens dsn with modernc's driver behind a per-connection
// statement cache. Parsing SQL was half the cost of a booking and a third of
// a first sync (sqlite3_prepare_v2 on every call, because database/sql hands
// the driver the text each time); with the cache each distinct statement is
// parsed once per connection and then only reset and rebound, so every
// tx.QueryRowContext(ctx, "constant SQL") in the code is a prepared statement
// without a *sql.Stmt field beside it.
func openCached(dsn string) *sql.DB {
	return sql.OpenDB(cachingConnector{dsn: dsn, drv: &sqlite.Driver{}})
}

type cachingConnector struct {
	dsn string
	drv *sqlite.Driver
}

func (c cachingConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &cachingConn{Conn: conn, stmts: map[string]*cachedStmt{}}, nil
}

func (c cachingConnector) Driver() driver.Driver { return c.drv }

// cachingConn is one SQLite connection and its prepared statements by SQL
// text. It deliberately does not implement driver.ExecerContext or
// driver.QueryerContext: database/sql then prepares every statement through
// PrepareContext and closes it when done, which is where the cache answers.
type cachingConn struct {
	driver.Conn
	mu    sync.Mutex // database/sql serialises use of a connection; this is belt and braces
	stmts map[string]*cachedStmt
}

// PrepareContext hands out the cached statement for query when it is idle.
// A statement still in use (its rows not yet closed: a query run inside the
// loop over the same query's rows) must not be reset under its reader, so a
// second user gets a fresh statement, finalized when closed.
func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stmts[query]; ok {
		if !st.inUse {
			st.inUse = true
			return st, nil
		}
		return c.prepare(ctx, query)
	}
	fresh, err := c.prepare(ctx, query)
	if err != nil || len(c.stmts) >= maxCachedStatements {
		return fresh, err
	}
	st := &cachedStmt{Stmt: fresh, conn: c, inUse: true}
	c.stmts[query] = st
	return st, nil
}

func (c *cachingConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *cachingConn) prepare(ctx context.Context, query string) (driver.Stmt, error) {
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return c.Conn.Prepare(query)
}

// Close finalizes the cached statements, then closes the connection.
func (c *cachingConn) Close() error {
	c.mu.Lock()
	var errs []error
	for q, st := range c.stmts {
		errs = append(errs, st.Stmt.Close())
		delete(c.stmts, q)
	}
	c.mu.Unlock()
	return errors.Join(append(errs, c.Conn.Close())...)
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	b, ok := c.Conn.(driver.ConnBeginTx)
	if !ok {
		return nil, errors.New("sqlitedb: driver cannot begin a transaction with options")
	}
	return b.BeginTx(ctx, opts)
}

func (c *cachingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *cachingConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *cachingConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

// cachedStmt is a prepared statement kept for its connection's life. Close
// only returns it to the cache; the driver resets it after each use (modernc
// resets a prepared statement when its exec ends or its rows close).
type cachedStmt struct {
	driver.Stmt
	conn  *cachingConn
	inUse bool // guarded by conn.mu
}

func (s *cachedStmt) Close() error {
	s.conn.mu.Lock()
	s.inUse = false
	s.conn.mu.Unlock()
	return nil
}

func (s *cachedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	e, ok := s.Stmt.(driver.StmtExecContext)
	if !ok {
		return nil, fmt.Errorf("sqlitedb: statement cannot run with a context")
	}
	return e.ExecContext(ctx, args)
}

func (s *cachedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := s.Stmt.(driver.StmtQueryContext)
	if !ok {
		return nil, fmt.Errorf("sqlitedb: statement cannot run with a context")
	}
	return q.QueryContext(ctx, args)
}
