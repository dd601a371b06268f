package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// WatchOptions tune a Watcher. The zero value is usable.
type WatchOptions struct {
	// Heartbeat is how often the listening connection is checked when no
	// notification arrives (default DefaultHeartbeat). A Watcher whose last
	// sign of life is older than two heartbeats is not Live, so a silently
	// dead network is noticed within that time.
	Heartbeat time.Duration
	// RetryInterval is the pause between reconnection attempts (default
	// DefaultRetryInterval).
	RetryInterval time.Duration
}

// Defaults of WatchOptions.
const (
	DefaultHeartbeat     = 500 * time.Millisecond
	DefaultRetryInterval = 250 * time.Millisecond
)

// Watcher listens on its own connection (LISTEN julep_secrets) for the
// changes other processes commit to the store's secrets, and calls its
// subscribers with the developer whose secrets changed. It reconnects by
// itself after the connection drops (a restarted server, a terminated
// backend, a network cut).
//
// Live reports whether changes are being heard right now; a cache must not
// answer from memory while it is false, since changes made meanwhile are
// lost. On every (re)connection, once LISTEN is active, the subscribers are
// called with "" (every developer): whatever was cached before may be
// stale. It is safe for concurrent use.
type Watcher struct {
	cfg    *pgx.ConnConfig
	schema string
	opts   WatchOptions

	mu   sync.Mutex
	subs []func(developerID string)

	connected atomic.Bool
	lastOK    atomic.Int64 // UnixNano of the last sign of life of the connection
	pid       atomic.Uint32
	cancel    context.CancelFunc
	done      chan struct{}
}

// Watch starts a Watcher for this store's schema. It returns at once; the
// Watcher connects in the background (see Live and WaitLive). Close it
// when done.
func (s *Store) Watch(opts WatchOptions) *Watcher {
	if opts.Heartbeat <= 0 {
		opts.Heartbeat = DefaultHeartbeat
	}
	if opts.RetryInterval <= 0 {
		opts.RetryInterval = DefaultRetryInterval
	}
	cfg := s.pool.Config().ConnConfig.Copy()
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["application_name"] = "julep secrets watcher"
	ctx, cancel := context.WithCancel(context.Background())
	w := &Watcher{cfg: cfg, schema: s.schema, opts: opts, cancel: cancel, done: make(chan struct{})}
	go w.run(ctx)
	return w
}

// Subscribe adds fn to the functions called for every change: with the
// developer whose secrets changed, or "" when every developer's must be
// considered changed. fn must not block for long.
func (w *Watcher) Subscribe(fn func(developerID string)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.subs = append(w.subs, fn)
}

func (w *Watcher) notify(developerID string) {
	w.mu.Lock()
	subs := slices.Clone(w.subs)
	w.mu.Unlock()
	for _, fn := range subs {
		fn(developerID)
	}
}

// Live reports whether the Watcher is listening and heard from the server
// within the last two heartbeats: while it is true, every committed change
// reaches the subscribers within about a heartbeat.
func (w *Watcher) Live() bool {
	if !w.connected.Load() {
		return false
	}
	return time.Since(time.Unix(0, w.lastOK.Load())) < 2*w.opts.Heartbeat
}

// WaitLive waits until the Watcher is Live or ctx ends.
func (w *Watcher) WaitLive(ctx context.Context) error {
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for !w.Live() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

// BackendPID is the server process id of the listening connection (0 when
// not connected), for operators and tests.
func (w *Watcher) BackendPID() uint32 { return w.pid.Load() }

// Close stops the Watcher and closes its connection.
func (w *Watcher) Close() error {
	w.cancel()
	<-w.done
	return nil
}

func (w *Watcher) run(ctx context.Context) {
	defer close(w.done)
	for ctx.Err() == nil {
		w.listen(ctx)
		if ctx.Err() != nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(w.opts.RetryInterval):
		}
	}
}

// listen connects, listens and delivers notifications until the
// connection fails or ctx ends.
func (w *Watcher) listen(ctx context.Context) {
	connectCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	conn, err := pgx.ConnectConfig(connectCtx, w.cfg)
	cancel()
	if err != nil {
		return
	}
	defer func() {
		w.connected.Store(false)
		w.pid.Store(0)
		// Changes may be missed from now on: drop what was cached.
		w.notify("")
		closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = conn.Close(closeCtx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{Channel}.Sanitize()); err != nil {
		return
	}
	w.pid.Store(conn.PgConn().PID())
	// Listening now: anything cached before may have missed changes.
	w.notify("")
	w.lastOK.Store(time.Now().UnixNano())
	w.connected.Store(true)
	for {
		waitCtx, cancel := context.WithTimeout(ctx, w.opts.Heartbeat)
		n, err := conn.WaitForNotification(waitCtx)
		cancel()
		switch {
		case err == nil:
			w.lastOK.Store(time.Now().UnixNano())
			if dev, ok := w.parse(n.Payload); ok {
				w.notify(dev)
			}
			continue
		case ctx.Err() != nil:
			return
		case errors.Is(err, context.DeadlineExceeded) && !conn.IsClosed():
			pingCtx, cancel := context.WithTimeout(ctx, w.opts.Heartbeat)
			err = conn.Ping(pingCtx)
			cancel()
			if err != nil {
				return
			}
			w.lastOK.Store(time.Now().UnixNano())
		default:
			return // the connection broke
		}
	}
}

// payload is what the julep_secrets_notify trigger sends.
type payload struct {
	Schema      string  `json:"schema"`
	DeveloperID *string `json:"developer_id"`
}

// parse reads a notification: ok is false for another schema's change;
// developer is "" when the payload does not say whose secrets changed.
func (w *Watcher) parse(s string) (developer string, ok bool) {
	var p payload
	if err := json.Unmarshal([]byte(s), &p); err != nil {
		return "", true
	}
	if p.Schema != w.schema {
		return "", false
	}
	if p.DeveloperID == nil {
		return "", true
	}
	return *p.DeveloperID, true
}
