package redact

import (
	"errors"
	"io"
	"strings"
	"sync"
	"unsafe"
)

// ErrClosed is returned by Write after Close.
var ErrClosed = errors.New("redact: write to closed writer")

// Writer returns a streaming filter that writes to w what Redact would make
// of everything written to it, even when a value is split across Write
// calls. Each Write passes on at once every byte whose masking is settled
// and holds back only what a split value needs: the longest tail that is
// the start of some value or derived form (none, for output that ends
// where no value can start, such as most lines of logs), and a masked
// region that a further match could still extend. Close writes what is held
// back. Close does not close w. The writer is safe for concurrent use, but
// concurrent writers interleave at Write boundaries, as usual.
func (r *Redactor) Writer(w io.Writer) io.WriteCloser {
	return &writer{r: r, w: w}
}

type writer struct {
	mu     sync.Mutex
	r      *Redactor
	w      io.Writer
	buf    []byte
	spans  []span
	closed bool
}

// Write buffers p and writes every byte whose masking is settled.
func (w *writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return 0, ErrClosed
	}
	w.buf = append(w.buf, p...)
	if err := w.flush(false); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Close writes the held-back bytes, masked.
func (w *writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	return w.flush(true)
}

func (w *writer) flush(final bool) error {
	if len(w.buf) == 0 {
		return nil
	}
	m := w.r.matcher()
	if m == nil {
		_, err := w.w.Write(w.buf)
		w.buf = w.buf[:0]
		return err
	}
	// A read-only view of buf, valid until buf changes below (w.mu is
	// held, and nothing computed from s outlives this call): copying each
	// write into a new string would cost as much as the scan itself.
	s := unsafe.String(unsafe.SliceData(w.buf), len(w.buf))
	cut := len(s)
	if !final {
		// Matches starting before cut are settled: no pattern that starts
		// there reaches past the end of what we have.
		cut -= m.set.Pending(s)
	}
	w.spans = m.spans(s, cut, w.spans[:0])
	c := cut
	if n := len(w.spans); n > 0 && !final {
		if last := w.spans[n-1]; last.end > c {
			// A match starting at or after cut could still extend it.
			c = last.start
			w.spans = w.spans[:n-1]
		}
	}
	if c == 0 {
		return nil
	}
	var err error
	if len(w.spans) == 0 {
		_, err = w.w.Write(w.buf[:c])
	} else {
		var b strings.Builder
		b.Grow(c)
		render(&b, s[:c], w.spans, m)
		_, err = io.WriteString(w.w, b.String())
	}
	// s is not used after this point: buf may change.
	n := copy(w.buf, w.buf[c:])
	w.buf = w.buf[:n]
	return err
}
