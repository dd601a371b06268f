package apikeys

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Memory is an in-process Store (tests, memory: stores).
type Memory struct {
	mu   sync.RWMutex
	keys map[string]Key
	seq  []string
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty Memory store.
func NewMemory() *Memory { return &Memory{keys: map[string]Key{}} }

// Insert implements Store.
func (m *Memory) Insert(_ context.Context, k Key) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.keys[k.ID]; dup {
		return fmt.Errorf("API key id %s already exists", k.ID)
	}
	k.Hash = slices.Clone(k.Hash)
	m.keys[k.ID] = k
	m.seq = append(m.seq, k.ID)
	return nil
}

// ByID implements Store.
func (m *Memory) ByID(_ context.Context, id string) (Key, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	k, ok := m.keys[id]
	if !ok {
		return Key{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return k, nil
}

// List implements Store.
func (m *Memory) List(_ context.Context, developerID string) ([]Key, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := []Key{}
	for _, id := range m.seq {
		if k := m.keys[id]; developerID == "" || k.DeveloperID == developerID {
			out = append(out, k)
		}
	}
	return out, nil
}

// Revoke implements Store.
func (m *Memory) Revoke(_ context.Context, id string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k, ok := m.keys[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if k.RevokedAt == nil {
		t := at.UTC().Truncate(time.Microsecond)
		k.RevokedAt = &t
		m.keys[id] = k
	}
	return nil
}

// Ping implements Store.
func (m *Memory) Ping(context.Context) error { return nil }

// Close implements Store.
func (m *Memory) Close() error { return nil }
