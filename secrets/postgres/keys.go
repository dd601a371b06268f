package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/julepkit/julep/secrets"
)

// ErrRotationRunning is returned by RotateDataKey while another process
// rotates the same store's data key.
var ErrRotationRunning = errors.New("another rotate-key is running on this store")

// RotateDataKey adds a new active data key, then re-encrypts every secret
// under it in batches, each one short transaction (other processes keep
// reading and writing; an update waits at most for one batch). When the
// last rotation did not finish (its key has no reencrypted_at), it is
// resumed instead. One rotation runs at a time per store: a session
// advisory lock, released by the server if this process dies, guards it.
func (s *Store) RotateDataKey(ctx context.Context, opts secrets.RotateOptions) (secrets.RotateResult, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return secrets.RotateResult{}, fmt.Errorf("rotate: %w", err)
	}
	defer conn.Release()
	var locked bool
	const lockKey = `hashtext('julep secrets rotate ' || current_schema())`
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock(`+lockKey+`)`).Scan(&locked); err != nil {
		return secrets.RotateResult{}, fmt.Errorf("rotate: %w", err)
	}
	if !locked {
		return secrets.RotateResult{}, fmt.Errorf("rotate: %w", ErrRotationRunning)
	}
	defer func() {
		// A fresh context: the caller's may be cancelled, the lock must go.
		unlockCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(unlockCtx, `SELECT pg_advisory_unlock(`+lockKey+`)`); err != nil {
			// The session may be broken: drop it, which releases the lock.
			_ = conn.Conn().Close(unlockCtx)
		}
	}()

	var res secrets.RotateResult
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// Locking the keyring waits for writers that read the active key FOR
		// SHARE: once this commits, every later write seals with the new key,
		// and every earlier one is visible to the pass below.
		var active int32
		var done *time.Time
		if err := tx.QueryRow(ctx, `SELECT id, reencrypted_at FROM data_keys WHERE active FOR UPDATE`).Scan(&active, &done); err != nil {
			return fmt.Errorf("rotate: read active data key: %w", err)
		}
		// Check the stored keyring opens with our master key before adding to it.
		if _, err := s.reloadKeyring(ctx, tx); err != nil {
			return fmt.Errorf("rotate: %w", err)
		}
		if done == nil {
			res = secrets.RotateResult{KeyID: uint32(active), Resumed: true}
			return nil
		}
		var maxID int32
		if err := tx.QueryRow(ctx, `SELECT MAX(id) FROM data_keys`).Scan(&maxID); err != nil {
			return fmt.Errorf("rotate: %w", err)
		}
		res = secrets.RotateResult{KeyID: uint32(maxID) + 1}
		k, err := secrets.NewWrappedDataKey(*s.master.Load(), res.KeyID, true, secrets.Timestamp(s.now()))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE data_keys SET active = false WHERE active`); err != nil {
			return fmt.Errorf("rotate: %w", err)
		}
		if err := insertKey(ctx, tx, k, false); err != nil {
			return fmt.Errorf("rotate: %w", err)
		}
		_, err = s.reloadKeyring(ctx, tx)
		return err
	})
	if err != nil {
		return secrets.RotateResult{}, err
	}
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT COUNT(*) FROM secrets WHERE `+stale, int32(res.KeyID)).Scan(&total); err != nil {
		return res, fmt.Errorf("rotate: count secrets: %w", err)
	}
	var failed []string
	after := "00000000-0000-0000-0000-000000000000"
	for {
		n, lastID, bad, err := s.reencryptBatch(ctx, res.KeyID, after, opts.Batch())
		if err != nil {
			return res, fmt.Errorf("rotate: re-encrypt: %w", err)
		}
		res.Reencrypted += n
		failed = append(failed, bad...)
		if lastID == "" {
			break
		}
		after = lastID
		if opts.Progress != nil {
			opts.Progress(res.Reencrypted, total)
		}
	}
	if _, err := s.pool.Exec(ctx, `UPDATE data_keys SET reencrypted_at = $1 WHERE id = $2`, secrets.Timestamp(s.now()), int32(res.KeyID)); err != nil {
		return res, fmt.Errorf("rotate: record the end of the rotation: %w", err)
	}
	return res, secrets.ReencryptFailures(failed)
}

// stale selects the rows a rotation to key $1 still has to move: under
// another key, or in the legacy ciphertext format.
const stale = `(key_id <> $1 OR substring(value from 1 for 1) = '\x01'::bytea)`

// reencryptBatch moves up to n rows with id > after to data key newID, in
// one transaction that locks them (concurrent updates of those rows wait
// for it). It returns the last id seen ("" when done) and the names that
// failed.
func (s *Store) reencryptBatch(ctx context.Context, newID uint32, after string, n int) (int, string, []string, error) {
	done, lastID := 0, ""
	var failed []string
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ring, err := s.writeRing(ctx, tx)
		if err != nil {
			return err
		}
		if ring.ActiveID() != newID {
			return fmt.Errorf("%w: the active data key changed during rotation (another rotate-key ran)", secrets.ErrEncryption)
		}
		rows, err := tx.Query(ctx, `SELECT `+rowCols+` FROM secrets WHERE `+stale+` AND id > $2 ORDER BY id LIMIT $3 FOR UPDATE`,
			int32(newID), after, n)
		if err != nil {
			return err
		}
		batch, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*row, error) { return scanRow(r) })
		if err != nil {
			return err
		}
		var updates pgx.Batch
		for _, r := range batch {
			lastID = r.id
			ct, ok, err := secrets.Reencrypt(ctx, ring, ring, r.ref(), r.ciphertext)
			if err != nil {
				return err
			}
			if !ok {
				failed = append(failed, r.name)
				continue
			}
			updates.Queue(`UPDATE secrets SET value = $1, key_id = $2 WHERE id = $3`, ct, int32(newID), r.id)
			done++
		}
		if updates.Len() > 0 {
			if err := tx.SendBatch(ctx, &updates).Close(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, "", nil, err
	}
	return done, lastID, failed, nil
}

// Rewrap wraps every data key under newMaster in one transaction; this
// Store then uses newMaster. Other processes keep their unwrapped keys in
// memory and go on working; they need newMaster when they next open the
// store or load a key they lack.
func (s *Store) Rewrap(ctx context.Context, newMaster secrets.MasterKey) error {
	if newMaster.IsZero() {
		return fmt.Errorf("rewrap: %w", secrets.ErrNoMasterKey)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("rewrap: begin transaction: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	// Lock order, as in every write: database locks first (here the whole
	// keyring), then s.reload, held until the new master is installed so no
	// reload in between pairs the old master with the new wrapping.
	if _, err := tx.Exec(ctx, `SELECT id FROM data_keys FOR UPDATE`); err != nil {
		return fmt.Errorf("rewrap: lock keyring: %w", err)
	}
	s.reload.Lock()
	defer s.reload.Unlock()
	ring, err := s.reloadKeyringLocked(ctx, tx)
	if err != nil {
		return fmt.Errorf("rewrap: %w", err)
	}
	keys, err := ring.Rewrap(newMaster)
	if err != nil {
		return fmt.Errorf("rewrap: %w", err)
	}
	if _, err := secrets.OpenKeyring(newMaster, keys); err != nil {
		return fmt.Errorf("rewrap: verify: %w", err)
	}
	for _, k := range keys {
		if _, err := tx.Exec(ctx, `UPDATE data_keys SET wrapped = $1, master_fingerprint = $2 WHERE id = $3`,
			k.Wrapped, k.MasterFingerprint, int32(k.ID)); err != nil {
			return fmt.Errorf("rewrap: data key %d: %w", k.ID, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("rewrap: commit: %w", err)
	}
	s.master.Store(&newMaster)
	s.ring.Store(ring)
	return nil
}
