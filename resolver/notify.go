package resolver

import (
	"context"
	"fmt"
	"time"
)

// ChangeFeed announces changes of secrets made anywhere (by other workers,
// the CLI, a server): secrets/postgres.Watcher is one.
type ChangeFeed interface {
	// Subscribe registers fn, called with the developer whose secrets
	// changed, or "" when any developer's may have.
	Subscribe(fn func(developerID string))
	// Live reports whether every change is being announced right now.
	Live() bool
}

// NotifiedCache is a Cache kept fresh by a ChangeFeed, for many workers
// sharing one store: every announced change drops the developer's cached
// entries (Invalidate), so a change is seen by every worker as soon as it
// is announced rather than after the TTL. While the feed is not Live (its
// connection dropped), the cache is bypassed: every Fetch and Has goes to
// the source, so no worker answers with a value that may have changed
// unannounced. The feed announces "" when it is back, which drops
// everything cached before. The TTL still bounds how long an entry lives.
type NotifiedCache struct {
	*Cache
	feed ChangeFeed
}

// NewNotifiedCache returns a cache in front of src that feed keeps fresh.
func NewNotifiedCache(src SecretSource, ttl time.Duration, feed ChangeFeed) *NotifiedCache {
	c := &NotifiedCache{Cache: NewCache(src, ttl), feed: feed}
	feed.Subscribe(c.Invalidate)
	return c
}

// Fetch implements SecretSource: through the cache while the feed is
// live, straight from the source otherwise.
func (c *NotifiedCache) Fetch(ctx context.Context, dev string, names []string) (map[string]string, error) {
	if !c.feed.Live() {
		return c.src.Fetch(ctx, dev, names)
	}
	return c.Cache.Fetch(ctx, dev, names)
}

// Has implements SecretLister, with the same rule as Fetch.
func (c *NotifiedCache) Has(ctx context.Context, dev string, names []string) (map[string]bool, error) {
	if !c.feed.Live() {
		return Present(ctx, c.src, dev, names)
	}
	return c.Cache.Has(ctx, dev, names)
}

// String names the source.
func (c *NotifiedCache) String() string {
	return fmt.Sprintf("notified %s", c.Cache.String())
}

var _ SecretLister = (*NotifiedCache)(nil)
