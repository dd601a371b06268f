// Package storetest is the contract test suite every secrets.Store backend
// runs (memory, SQLite, PostgreSQL):
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) storetest.Harness { return newHarness(t) })
//	}
//
// Failure messages never print a secret value: values are compared as
// booleans.
package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/julepkit/julep/secrets"
)

// Harness is one fresh, empty store under test plus the back doors the
// suite needs to play attacker and operator.
type Harness interface {
	// Store is the store under test (the suite closes it at the end of the test).
	Store() secrets.Store
	// Master is the master key the store was opened with.
	Master() secrets.MasterKey
	// Ciphertext returns the stored ciphertext of the secret with that id, as
	// it is at rest.
	Ciphertext(t testing.TB, secretID string) []byte
	// SetCiphertext overwrites the stored ciphertext of the secret with that
	// id, bypassing the store.
	SetCiphertext(t testing.TB, secretID string, ct []byte)
	// SetName renames the secret with that id in the database, bypassing the
	// store (an attacker with write access to the database).
	SetName(t testing.TB, secretID, name string)
	// Reopen opens another Store on the same data with the given master key
	// (as another process would). The caller closes it. An error is allowed
	// when the key is wrong; it must then wrap secrets.ErrEncryption.
	Reopen(t testing.TB, master secrets.MasterKey) (secrets.Store, error)
}

// Run runs the whole contract suite; newStore returns a fresh empty store
// for each subtest.
func Run(t *testing.T, newStore func(t *testing.T) Harness) {
	tests := []struct {
		name string
		fn   func(t *testing.T, h Harness)
	}{
		{"CRUD", testCRUD},
		{"Pagination", testPagination},
		{"ListLimitClamp", testListLimitClamp},
		{"MetadataFilter", testMetadataFilter},
		{"Rename", testRename},
		{"Duplicates", testDuplicates},
		{"InvalidNames", testInvalidNames},
		{"SizeLimits", testSizeLimits},
		{"ConcurrentCreate", testConcurrentCreate},
		{"MergeMetadata", testMergeMetadata},
		{"ConcurrentUpdate", testConcurrentUpdate},
		{"Isolation", testIsolation},
		{"Tamper", testTamper},
		{"WrongMasterKey", testWrongMasterKey},
		{"Versions", testVersions},
		{"Timestamps", testTimestamps},
		{"KeyManagement", testKeyManagement},
		{"RotateWithTamperedSecret", testRotateWithTamperedSecret},
		{"RotateResume", testRotateResume},
		{"RotateWhileWriting", testRotateWhileWriting},
		{"NameBound", testNameBound},
		{"RenameDeleteRace", testRenameDeleteRace},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newStore(t)
			t.Cleanup(func() { _ = h.Store().Close() })
			tc.fn(t, h)
		})
	}
}

const dev, other = "dev-a", "dev-b"

var ctx = context.Background()

// token returns a fresh secret-looking value.
func token(t testing.TB) string {
	t.Helper()
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "sv_" + hex.EncodeToString(b)
}

// valueIs compares a value without printing it.
func valueIs(t testing.TB, s *secrets.Secret, want string, what string) {
	t.Helper()
	if s == nil {
		t.Errorf("%s: no secret", what)
		return
	}
	if s.Value != want {
		t.Errorf("%s: value of secret %q differs from the expected one (len %d, want len %d)", what, s.Name, len(s.Value), len(want))
	}
}

// noLeak checks that an error message does not contain a value.
func noLeak(t testing.TB, err error, value string) {
	t.Helper()
	if err != nil && value != "" && strings.Contains(err.Error(), value) {
		t.Errorf("error message contains the secret value (message withheld)")
	}
}

func create(t testing.TB, st secrets.Store, developer, name, value string) *secrets.Secret {
	t.Helper()
	s, err := st.Create(ctx, developer, secrets.CreateParams{Name: name, Value: value})
	require.NoError(t, err, "create %s", name)
	return s
}

func names(list []*secrets.Secret) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.Name
	}
	return out
}

func ptr[T any](v T) *T { return &v }

func testCRUD(t *testing.T, h Harness) {
	st := h.Store()
	v := token(t)
	md := map[string]any{"env": "prod", "n": 3.0, "nested": map[string]any{"a": true}}
	c, err := st.Create(ctx, dev, secrets.CreateParams{Name: "API_KEY", Value: v, Description: "the key", Metadata: md})
	require.NoError(t, err)
	_, err = uuid.Parse(c.ID)
	assert.NoError(t, err, "id is a UUID")
	assert.Equal(t, dev, c.DeveloperID)
	assert.Equal(t, "API_KEY", c.Name)
	assert.Equal(t, "the key", c.Description)
	assert.Equal(t, md, c.Metadata)
	assert.Equal(t, 1, c.Version)
	assert.Equal(t, c.CreatedAt, c.UpdatedAt)
	valueIs(t, c, v, "create result")

	for _, get := range []func() (*secrets.Secret, error){
		func() (*secrets.Secret, error) { return st.Get(ctx, dev, "API_KEY") },
		func() (*secrets.Secret, error) { return st.GetByID(ctx, dev, c.ID) },
	} {
		g, err := get()
		require.NoError(t, err)
		valueIs(t, g, v, "get")
		assert.Equal(t, c.ID, g.ID)
		assert.Equal(t, md, g.Metadata)
		assert.Equal(t, "the key", g.Description)
		assert.True(t, c.CreatedAt.Equal(g.CreatedAt), "created_at round trip")
		assert.True(t, c.UpdatedAt.Equal(g.UpdatedAt), "updated_at round trip")
	}

	// No metadata reads back as an empty object, not nil.
	e := create(t, st, dev, "EMPTY_MD", token(t))
	assert.NotNil(t, e.Metadata)
	g, err := st.Get(ctx, dev, "EMPTY_MD")
	require.NoError(t, err)
	assert.NotNil(t, g.Metadata)
	assert.Empty(t, g.Metadata)

	list, err := st.List(ctx, dev, secrets.ListParams{})
	require.NoError(t, err)
	require.Equal(t, []string{"API_KEY", "EMPTY_MD"}, names(list))
	for _, s := range list {
		assert.Equal(t, secrets.EncryptedPlaceholder, s.Value, "list never returns values")
	}
	assert.Equal(t, md, list[0].Metadata)
	assert.Equal(t, c.ID, list[0].ID)

	v2 := token(t)
	u, err := st.Update(ctx, dev, "API_KEY", secrets.UpdateParams{Value: &v2, Description: ptr("new"), Metadata: map[string]any{"env": "dev"}})
	require.NoError(t, err)
	valueIs(t, u, v2, "update result")
	assert.Equal(t, 2, u.Version)
	assert.Equal(t, "new", u.Description)
	assert.Equal(t, map[string]any{"env": "dev"}, u.Metadata, "metadata replaces")
	g, err = st.Get(ctx, dev, "API_KEY")
	require.NoError(t, err)
	valueIs(t, g, v2, "get after update")
	assert.Equal(t, map[string]any{"env": "dev"}, g.Metadata)

	require.NoError(t, st.Delete(ctx, dev, "API_KEY"))
	_, err = st.Get(ctx, dev, "API_KEY")
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	_, err = st.GetByID(ctx, dev, c.ID)
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	err = st.Delete(ctx, dev, "API_KEY")
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	assert.Contains(t, err.Error(), "API_KEY", "not-found error names the secret")
	_, err = st.Update(ctx, dev, "API_KEY", secrets.UpdateParams{Description: ptr("x")})
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	_, err = st.GetByID(ctx, dev, "not-a-uuid")
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	_, err = st.GetByID(ctx, dev, uuid.NewString())
	assert.ErrorIs(t, err, secrets.ErrNotFound)

	// The data outlives the Store: another open with the same key reads it.
	st2, err := h.Reopen(t, h.Master())
	require.NoError(t, err)
	defer st2.Close()
	g, err = st2.Get(ctx, dev, "EMPTY_MD")
	require.NoError(t, err)
	assert.Equal(t, e.ID, g.ID)
}

func testPagination(t *testing.T, h Harness) {
	st := h.Store()
	for _, n := range []string{"E", "b", "A", "D", "C", "a_1"} {
		create(t, st, dev, n, token(t))
	}
	all := []string{"A", "C", "D", "E", "a_1", "b"} // byte order: case-sensitive
	tests := []struct {
		name          string
		limit, offset int
		want          []string
	}{
		{"default limit", 0, 0, all},
		{"first page", 2, 0, all[:2]},
		{"middle page", 2, 2, all[2:4]},
		{"last partial page", 4, 4, all[4:]},
		{"offset at end", 2, 6, nil},
		{"offset past end", 2, 100, nil},
		{"limit over maximum", secrets.MaxListLimit + 50, 0, all},
		{"limit 1", 1, 5, all[5:]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := st.List(ctx, dev, secrets.ListParams{Limit: tc.limit, Offset: tc.offset})
			require.NoError(t, err)
			assert.Equal(t, len(tc.want), len(got))
			if len(tc.want) > 0 {
				assert.Equal(t, tc.want, names(got))
			}
		})
	}
	_, err := st.List(ctx, dev, secrets.ListParams{Limit: -1})
	assert.ErrorIs(t, err, secrets.ErrInvalid)
	_, err = st.List(ctx, dev, secrets.ListParams{Offset: -1})
	assert.ErrorIs(t, err, secrets.ErrInvalid)
	got, err := st.List(ctx, "nobody", secrets.ListParams{})
	require.NoError(t, err)
	assert.Empty(t, got)
}

func testListLimitClamp(t *testing.T, h Harness) {
	if testing.Short() {
		t.Skip("creates more than MaxListLimit secrets; skipped with -short")
	}
	st := h.Store()
	n := secrets.MaxListLimit + 1
	for i := range n {
		_, err := st.Create(ctx, dev, secrets.CreateParams{Name: fmt.Sprintf("S%05d", i), Value: "v"})
		require.NoError(t, err)
	}
	got, err := st.List(ctx, dev, secrets.ListParams{})
	require.NoError(t, err)
	assert.Len(t, got, secrets.DefaultListLimit, "limit 0 gives the default page")
	got, err = st.List(ctx, dev, secrets.ListParams{Limit: n + 10})
	require.NoError(t, err)
	assert.Len(t, got, secrets.MaxListLimit, "limit over the maximum is clamped")
	got, err = st.List(ctx, dev, secrets.ListParams{Limit: secrets.MaxListLimit, Offset: secrets.MaxListLimit})
	require.NoError(t, err)
	assert.Equal(t, []string{fmt.Sprintf("S%05d", n-1)}, names(got))
}

func testMetadataFilter(t *testing.T, h Harness) {
	st := h.Store()
	mk := func(name string, md map[string]any) {
		_, err := st.Create(ctx, dev, secrets.CreateParams{Name: name, Value: token(t), Metadata: md})
		require.NoError(t, err)
	}
	mk("A", map[string]any{"env": "prod", "team": "x"})
	mk("B", map[string]any{"env": "dev", "team": "x"})
	mk("C", map[string]any{"env": "prod", "team": "y", "n": 2})
	mk("D", nil)
	mk("E", map[string]any{"env": "prod"})
	mk("F", map[string]any{"env": "PROD"})
	tests := []struct {
		name          string
		filter        map[string]any
		limit, offset int
		want          []string
	}{
		{"one pair", map[string]any{"env": "prod"}, 0, 0, []string{"A", "C", "E"}},
		{"every pair must match", map[string]any{"env": "prod", "team": "x"}, 0, 0, []string{"A"}},
		{"number", map[string]any{"n": 2}, 0, 0, []string{"C"}},
		{"no match", map[string]any{"env": "staging"}, 0, 0, nil},
		{"missing key", map[string]any{"owner": "z"}, 0, 0, nil},
		{"case-sensitive", map[string]any{"env": "PROD"}, 0, 0, []string{"F"}},
		{"filter before limit", map[string]any{"env": "prod"}, 2, 0, []string{"A", "C"}},
		{"filter before offset", map[string]any{"env": "prod"}, 2, 2, []string{"E"}},
		{"offset past filtered end", map[string]any{"env": "prod"}, 2, 3, nil},
		{"empty filter", map[string]any{}, 0, 0, []string{"A", "B", "C", "D", "E", "F"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := st.List(ctx, dev, secrets.ListParams{Metadata: tc.filter, Limit: tc.limit, Offset: tc.offset})
			require.NoError(t, err)
			assert.Equal(t, len(tc.want), len(got), "%v", names(got))
			if len(tc.want) > 0 {
				assert.Equal(t, tc.want, names(got))
			}
		})
	}
}

func testRename(t *testing.T, h Harness) {
	st := h.Store()
	va, vb := token(t), token(t)
	a := create(t, st, dev, "A", va)
	create(t, st, dev, "B", vb)

	_, err := st.Update(ctx, dev, "A", secrets.UpdateParams{NewName: ptr("B")})
	require.ErrorIs(t, err, secrets.ErrAlreadyExists)
	assert.Contains(t, err.Error(), `"B"`)
	_, err = st.Update(ctx, dev, "A", secrets.UpdateParams{NewName: ptr("1bad")})
	require.ErrorIs(t, err, secrets.ErrInvalid)
	_, err = st.Update(ctx, dev, "A", secrets.UpdateParams{NewName: ptr("")})
	require.ErrorIs(t, err, secrets.ErrInvalid)
	for n, v := range map[string]string{"A": va, "B": vb} {
		g, err := st.Get(ctx, dev, n)
		require.NoError(t, err)
		valueIs(t, g, v, "after failed renames")
	}

	r, err := st.Update(ctx, dev, "A", secrets.UpdateParams{NewName: ptr("C")})
	require.NoError(t, err)
	assert.Equal(t, "C", r.Name)
	assert.Equal(t, a.ID, r.ID)
	assert.Equal(t, 1, r.Version, "a rename is not a value change")
	_, err = st.Get(ctx, dev, "A")
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	g, err := st.Get(ctx, dev, "C")
	require.NoError(t, err)
	valueIs(t, g, va, "renamed secret")
	// The old name is free again.
	create(t, st, dev, "A", token(t))
	// Renaming to the same name is a no-op, not a conflict.
	_, err = st.Update(ctx, dev, "C", secrets.UpdateParams{NewName: ptr("C")})
	require.NoError(t, err)
}

func testDuplicates(t *testing.T, h Harness) {
	st := h.Store()
	v := token(t)
	create(t, st, dev, "DUP", v)
	v2 := token(t)
	_, err := st.Create(ctx, dev, secrets.CreateParams{Name: "DUP", Value: v2})
	require.ErrorIs(t, err, secrets.ErrAlreadyExists)
	assert.Contains(t, err.Error(), "DUP")
	noLeak(t, err, v2)
	g, err := st.Get(ctx, dev, "DUP")
	require.NoError(t, err)
	valueIs(t, g, v, "the first value stays")
	// Names are case-sensitive and per developer.
	create(t, st, dev, "dup", token(t))
	create(t, st, other, "DUP", token(t))
}

func testInvalidNames(t *testing.T, h Harness) {
	st := h.Store()
	bad := map[string]string{
		"empty":         "",
		"leading digit": "1KEY",
		"leading _":     "_KEY",
		"space":         "API KEY",
		"dash":          "API-KEY",
		"dot":           "api.key",
		"256 chars":     "A" + strings.Repeat("b", 255),
		"non-ASCII":     "CLÉ",
		"NUL":           "A\x00B",
		"newline":       "A\n",
	}
	for label, n := range bad {
		t.Run(label, func(t *testing.T) {
			v := token(t)
			_, err := st.Create(ctx, dev, secrets.CreateParams{Name: n, Value: v})
			require.ErrorIs(t, err, secrets.ErrInvalid)
			assert.Contains(t, err.Error(), "name")
			noLeak(t, err, v)
		})
	}
	for _, n := range []string{"A", "a", "A1", "api_key_2", "A" + strings.Repeat("_", 254)} {
		create(t, st, dev, n, token(t))
	}
	list, err := st.List(ctx, dev, secrets.ListParams{})
	require.NoError(t, err)
	assert.Len(t, list, 5)
}

func testSizeLimits(t *testing.T, h Harness) {
	st := h.Store()
	bigMD := func(n int) map[string]any { // compact JSON of exactly n bytes
		return map[string]any{"k": strings.Repeat("x", n-len(`{"k":""}`))}
	}
	tests := []struct {
		name  string
		p     secrets.CreateParams
		field string // "" means valid
	}{
		{"value at limit", secrets.CreateParams{Value: strings.Repeat("v", secrets.MaxValueBytes)}, ""},
		{"value over limit", secrets.CreateParams{Value: strings.Repeat("v", secrets.MaxValueBytes+1)}, "value"},
		{"empty value", secrets.CreateParams{Value: ""}, "value"},
		{"value not UTF-8", secrets.CreateParams{Value: "sv_\xff\xfe"}, "value"},
		{"value with control characters", secrets.CreateParams{Value: "a\x00b\nc\td\r"}, ""},
		{"description at limit", secrets.CreateParams{Description: strings.Repeat("é", secrets.MaxDescriptionLen)}, ""},
		{"description over limit", secrets.CreateParams{Description: strings.Repeat("d", secrets.MaxDescriptionLen+1)}, "description"},
		{"description with NUL", secrets.CreateParams{Description: "a\x00b"}, "description"},
		{"metadata with NUL", secrets.CreateParams{Metadata: map[string]any{"k\x00": "a\x00b"}}, ""},
		{"metadata at limit", secrets.CreateParams{Metadata: bigMD(secrets.MaxMetadataBytes)}, ""},
		{"metadata over limit", secrets.CreateParams{Metadata: bigMD(secrets.MaxMetadataBytes + 1)}, "metadata"},
		{"metadata not JSON", secrets.CreateParams{Metadata: map[string]any{"f": func() {}}}, "metadata"},
		{"metadata not UTF-8", secrets.CreateParams{Metadata: map[string]any{"env": "pr\xffod"}}, "metadata"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.p
			p.Name = fmt.Sprintf("S%d", i)
			if p.Value == "" && tc.field != "value" {
				p.Value = token(t)
			}
			s, err := st.Create(ctx, dev, p)
			if tc.field == "" {
				require.NoError(t, err)
				g, err := st.Get(ctx, dev, p.Name)
				require.NoError(t, err)
				valueIs(t, g, p.Value, "large value round trip")
				assert.Equal(t, len(p.Description), len(g.Description))
				_ = s
				return
			}
			require.ErrorIs(t, err, secrets.ErrInvalid)
			var ve *secrets.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tc.field, ve.Field)
			noLeak(t, err, p.Value)
			_, err = st.Get(ctx, dev, p.Name)
			assert.ErrorIs(t, err, secrets.ErrNotFound, "nothing stored")
		})
	}
	create(t, st, dev, "U", token(t))
	huge := strings.Repeat("v", secrets.MaxValueBytes+1)
	_, err := st.Update(ctx, dev, "U", secrets.UpdateParams{Value: &huge})
	require.ErrorIs(t, err, secrets.ErrInvalid)
	empty := ""
	_, err = st.Update(ctx, dev, "U", secrets.UpdateParams{Value: &empty})
	require.ErrorIs(t, err, secrets.ErrInvalid)
	_, err = st.Update(ctx, dev, "U", secrets.UpdateParams{Metadata: bigMD(secrets.MaxMetadataBytes + 1)})
	require.ErrorIs(t, err, secrets.ErrInvalid)
}

func testConcurrentCreate(t *testing.T, h Harness) {
	st := h.Store()
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	ids := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := st.Create(ctx, dev, secrets.CreateParams{Name: "RACE", Value: fmt.Sprintf("value-%02d", i)})
			errs[i] = err
			if err == nil {
				ids[i] = s.ID
			}
		}()
	}
	wg.Wait()
	wins, winner := 0, -1
	for i, err := range errs {
		switch {
		case err == nil:
			wins++
			winner = i
		case errors.Is(err, secrets.ErrAlreadyExists):
		default:
			t.Errorf("create %d: unexpected error: %v", i, err)
		}
	}
	require.Equal(t, 1, wins, "exactly one concurrent create wins")
	g, err := st.Get(ctx, dev, "RACE")
	require.NoError(t, err)
	assert.Equal(t, ids[winner], g.ID)
	valueIs(t, g, fmt.Sprintf("value-%02d", winner), "the winner's value")
	list, err := st.List(ctx, dev, secrets.ListParams{})
	require.NoError(t, err)
	assert.Len(t, list, 1)

	// Concurrent creates of different names all succeed.
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = st.Create(ctx, dev, secrets.CreateParams{Name: fmt.Sprintf("P%02d", i), Value: "v"})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		assert.NoError(t, err, "create P%02d", i)
	}
}

func testIsolation(t *testing.T, h Harness) {
	st := h.Store()
	v := token(t)
	mine := create(t, st, dev, "MINE", v)
	_, err := st.Get(ctx, other, "MINE")
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	_, err = st.GetByID(ctx, other, mine.ID)
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	list, err := st.List(ctx, other, secrets.ListParams{})
	require.NoError(t, err)
	assert.Empty(t, list)
	list, err = st.List(ctx, other, secrets.ListParams{Metadata: map[string]any{}})
	require.NoError(t, err)
	assert.Empty(t, list)
	v2 := token(t)
	_, err = st.Update(ctx, other, "MINE", secrets.UpdateParams{Value: &v2})
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	assert.ErrorIs(t, st.Delete(ctx, other, "MINE"), secrets.ErrNotFound)
	g, err := st.Get(ctx, dev, "MINE")
	require.NoError(t, err)
	valueIs(t, g, v, "owner still sees the original")
	assert.Equal(t, 1, g.Version)

	// The other developer's own secret of the same name is a separate row.
	ov := token(t)
	theirs := create(t, st, other, "MINE", ov)
	assert.NotEqual(t, mine.ID, theirs.ID)
	_, err = st.GetByID(ctx, dev, theirs.ID)
	assert.ErrorIs(t, err, secrets.ErrNotFound)
	require.NoError(t, st.Delete(ctx, other, "MINE"))
	g, err = st.Get(ctx, dev, "MINE")
	require.NoError(t, err)
	valueIs(t, g, v, "deleting the other's secret leaves mine")

	// Names are per developer: renaming onto a name only the other has works.
	create(t, st, other, "THEIRS", token(t))
	r, err := st.Update(ctx, dev, "MINE", secrets.UpdateParams{NewName: ptr("THEIRS")})
	require.NoError(t, err)
	assert.Equal(t, mine.ID, r.ID)
	list, err = st.List(ctx, other, secrets.ListParams{})
	require.NoError(t, err)
	assert.Equal(t, []string{"THEIRS"}, names(list))
	assert.NotEqual(t, mine.ID, list[0].ID)
}

func testTamper(t *testing.T, h Harness) {
	st := h.Store()
	va, vb, vc := token(t), token(t), token(t)
	a := create(t, st, dev, "A", va)
	b := create(t, st, dev, "B", vb)
	c := create(t, st, other, "C", vc)
	orig := h.Ciphertext(t, a.ID)
	require.NotEmpty(t, orig)
	assert.False(t, strings.Contains(string(orig), va), "ciphertext does not contain the value")

	for _, pos := range []int{0, 1, 4, 5, 16, 17, len(orig) / 2, len(orig) - 1} {
		ct := append([]byte(nil), orig...)
		ct[pos] ^= 0x01
		h.SetCiphertext(t, a.ID, ct)
		_, err := st.Get(ctx, dev, "A")
		require.ErrorIs(t, err, secrets.ErrEncryption, "flipped byte %d", pos)
		noLeak(t, err, va)
		_, err = st.GetByID(ctx, dev, a.ID)
		require.ErrorIs(t, err, secrets.ErrEncryption, "flipped byte %d (by id)", pos)
	}
	for _, ct := range [][]byte{nil, {}, orig[:10], orig[:len(orig)-1], append(append([]byte(nil), orig...), 0)} {
		h.SetCiphertext(t, a.ID, ct)
		_, err := st.Get(ctx, dev, "A")
		require.ErrorIs(t, err, secrets.ErrEncryption, "truncated/extended ciphertext of %d bytes", len(ct))
	}
	h.SetCiphertext(t, a.ID, orig)
	g, err := st.Get(ctx, dev, "A")
	require.NoError(t, err)
	valueIs(t, g, va, "restored ciphertext")

	// Copied to another row of the same developer.
	h.SetCiphertext(t, b.ID, orig)
	_, err = st.Get(ctx, dev, "B")
	require.ErrorIs(t, err, secrets.ErrEncryption, "ciphertext copied to another row")
	noLeak(t, err, va)
	// Copied to another developer's row.
	h.SetCiphertext(t, c.ID, orig)
	_, err = st.Get(ctx, other, "C")
	require.ErrorIs(t, err, secrets.ErrEncryption, "ciphertext copied to another developer")
	// Listing still works: it never decrypts.
	list, err := st.List(ctx, dev, secrets.ListParams{})
	require.NoError(t, err)
	assert.Len(t, list, 2)

	// An old version's ciphertext put back fails (bound to the version).
	h.SetCiphertext(t, b.ID, h.Ciphertext(t, b.ID)) // no-op
	v2 := token(t)
	_, err = st.Update(ctx, dev, "A", secrets.UpdateParams{Value: &v2})
	require.NoError(t, err)
	h.SetCiphertext(t, a.ID, orig)
	_, err = st.Get(ctx, dev, "A")
	require.ErrorIs(t, err, secrets.ErrEncryption, "old version's ciphertext replayed")

	// An update that does not set a value neither "fixes" nor destroys a
	// tampered secret: it fails and writes nothing.
	bad := h.Ciphertext(t, b.ID) // A's first ciphertext, copied into B's row
	before, err := st.List(ctx, dev, secrets.ListParams{})
	require.NoError(t, err)
	for label, p := range map[string]secrets.UpdateParams{
		"metadata":       {Metadata: map[string]any{"x": "y"}},
		"merge metadata": {Metadata: map[string]any{"x": "y"}, MergeMetadata: true},
		"description":    {Description: ptr("changed")},
		"rename":         {NewName: ptr("B2")},
		"nothing":        {},
	} {
		_, err := st.Update(ctx, dev, "B", p)
		require.ErrorIs(t, err, secrets.ErrEncryption, "%s-only update of a tampered secret", label)
		assert.Contains(t, err.Error(), `"B"`, "the error names the secret")
		noLeak(t, err, va)
		noLeak(t, err, vb)
		assert.True(t, bytes.Equal(bad, h.Ciphertext(t, b.ID)), "%s-only update left the ciphertext as it was", label)
	}
	after, err := st.List(ctx, dev, secrets.ListParams{})
	require.NoError(t, err)
	require.Equal(t, names(before), names(after))
	for i := range before {
		assert.Equal(t, before[i].Metadata, after[i].Metadata)
		assert.Equal(t, before[i].Description, after[i].Description)
		assert.True(t, before[i].UpdatedAt.Equal(after[i].UpdatedAt), "updated_at of %s unchanged", before[i].Name)
		assert.Equal(t, before[i].Version, after[i].Version)
	}

	// A tampered secret can still be overwritten with a new value.
	v3 := token(t)
	_, err = st.Update(ctx, dev, "B", secrets.UpdateParams{Value: &v3})
	require.NoError(t, err)
	g, err = st.Get(ctx, dev, "B")
	require.NoError(t, err)
	valueIs(t, g, v3, "overwritten after tamper")
}

func testWrongMasterKey(t *testing.T, h Harness) {
	st := h.Store()
	v := token(t)
	create(t, st, dev, "A", v)
	wrong, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "test key")
	require.NoError(t, err)
	st2, err := h.Reopen(t, wrong)
	if err != nil {
		require.ErrorIs(t, err, secrets.ErrEncryption)
		return
	}
	defer st2.Close()
	g, err := st2.Get(ctx, dev, "A")
	require.ErrorIs(t, err, secrets.ErrEncryption)
	assert.Nil(t, g)
	noLeak(t, err, v)
	_, err = st2.Create(ctx, dev, secrets.CreateParams{Name: "B", Value: token(t)})
	require.ErrorIs(t, err, secrets.ErrEncryption)
}

func testVersions(t *testing.T, h Harness) {
	st := h.Store()
	v1 := token(t)
	create(t, st, dev, "V", v1)
	steps := []struct {
		name string
		p    secrets.UpdateParams
		want int
	}{
		{"description only", secrets.UpdateParams{Description: ptr("d")}, 1},
		{"metadata only", secrets.UpdateParams{Metadata: map[string]any{"a": "b"}}, 1},
		{"same value", secrets.UpdateParams{Value: &v1}, 1},
		{"empty update", secrets.UpdateParams{}, 1},
		{"new value", secrets.UpdateParams{Value: ptr(token(t))}, 2},
		{"new value again", secrets.UpdateParams{Value: ptr(token(t)), Description: ptr("e")}, 3},
		{"back to the first value", secrets.UpdateParams{Value: &v1}, 4},
		{"rename", secrets.UpdateParams{NewName: ptr("W")}, 4},
	}
	name := "V"
	for _, s := range steps {
		u, err := st.Update(ctx, dev, name, s.p)
		require.NoError(t, err, s.name)
		assert.Equal(t, s.want, u.Version, s.name)
		name = u.Name
		g, err := st.Get(ctx, dev, name)
		require.NoError(t, err, s.name)
		assert.Equal(t, s.want, g.Version, s.name)
		if s.p.Value != nil {
			valueIs(t, g, *s.p.Value, s.name)
		}
	}
}

func testTimestamps(t *testing.T, h Harness) {
	st := h.Store()
	before := time.Now().Add(-time.Second)
	c := create(t, st, dev, "T", token(t))
	after := time.Now().Add(time.Second)
	assert.Equal(t, time.UTC, c.CreatedAt.Location())
	assert.True(t, c.CreatedAt.After(before) && c.CreatedAt.Before(after), "created_at is now")
	subSecond := c.CreatedAt.Nanosecond() != 0
	prev := c.UpdatedAt
	for i := range 3 {
		time.Sleep(2 * time.Millisecond)
		u, err := st.Update(ctx, dev, "T", secrets.UpdateParams{Description: ptr(fmt.Sprint(i))})
		require.NoError(t, err)
		assert.True(t, u.CreatedAt.Equal(c.CreatedAt), "created_at is fixed")
		assert.True(t, u.UpdatedAt.After(prev), "updated_at advances")
		assert.Equal(t, time.UTC, u.UpdatedAt.Location())
		subSecond = subSecond || u.UpdatedAt.Nanosecond() != 0
		g, err := st.Get(ctx, dev, "T")
		require.NoError(t, err)
		assert.True(t, g.UpdatedAt.Equal(u.UpdatedAt), "updated_at round trip: %v vs %v", g.UpdatedAt, u.UpdatedAt)
		assert.True(t, g.CreatedAt.Equal(c.CreatedAt), "created_at round trip")
		prev = u.UpdatedAt
	}
	assert.True(t, subSecond, "timestamps keep sub-second precision")
	// Back-to-back updates still advance updated_at strictly.
	for range 5 {
		u, err := st.Update(ctx, dev, "T", secrets.UpdateParams{})
		require.NoError(t, err)
		assert.True(t, u.UpdatedAt.After(prev), "updated_at advances strictly")
		prev = u.UpdatedAt
	}
}

func testKeyManagement(t *testing.T, h Harness) {
	km, ok := h.Store().(secrets.KeyManager)
	if !ok {
		t.Skip("store does not implement secrets.KeyManager")
	}
	st := h.Store()
	vals := map[string]string{}
	for _, n := range []string{"K1", "K2", "K3"} {
		vals[n] = token(t)
		create(t, st, dev, n, vals[n])
	}
	create(t, st, other, "K1", token(t))
	s1, err := st.Get(ctx, dev, "K1")
	require.NoError(t, err)
	oldCT := h.Ciphertext(t, s1.ID)
	oldKey, err := secrets.KeyIDOf(oldCT)
	require.NoError(t, err)

	res, err := km.RotateDataKey(ctx, secrets.RotateOptions{})
	require.NoError(t, err)
	assert.NotEqual(t, oldKey, res.KeyID)
	assert.Equal(t, 4, res.Reencrypted)
	newKey, err := secrets.KeyIDOf(h.Ciphertext(t, s1.ID))
	require.NoError(t, err)
	assert.Equal(t, res.KeyID, newKey, "rows are re-encrypted under the new key")
	for n, v := range vals {
		g, err := st.Get(ctx, dev, n)
		require.NoError(t, err)
		valueIs(t, g, v, "after rotate")
		assert.Equal(t, 1, g.Version, "rotation is not a value change")
	}
	// New writes use the new key; a second store instance sees it.
	k4 := create(t, st, dev, "K4", token(t))
	id4, err := secrets.KeyIDOf(h.Ciphertext(t, k4.ID))
	require.NoError(t, err)
	assert.Equal(t, res.KeyID, id4)

	newMaster, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), secrets.EnvNewMasterKey)
	require.NoError(t, err)
	require.NoError(t, km.Rewrap(ctx, newMaster))
	for n, v := range vals {
		g, err := st.Get(ctx, dev, n)
		require.NoError(t, err)
		valueIs(t, g, v, "after rewrap, same store")
	}
	_, err = st.Create(ctx, dev, secrets.CreateParams{Name: "K5", Value: token(t)})
	require.NoError(t, err)
	st2, err := h.Reopen(t, newMaster)
	require.NoError(t, err)
	defer st2.Close()
	for n, v := range vals {
		g, err := st2.Get(ctx, dev, n)
		require.NoError(t, err)
		valueIs(t, g, v, "after rewrap, reopened with the new master key")
	}
	st3, err := h.Reopen(t, h.Master())
	if err == nil {
		defer st3.Close()
		_, err = st3.Get(ctx, dev, "K1")
	}
	require.ErrorIs(t, err, secrets.ErrEncryption, "the old master key no longer opens the keyring")
}

func testMergeMetadata(t *testing.T, h Harness) {
	st := h.Store()
	_, err := st.Create(ctx, dev, secrets.CreateParams{Name: "M", Value: token(t), Metadata: map[string]any{"a": "1", "b": "2"}})
	require.NoError(t, err)
	u, err := st.Update(ctx, dev, "M", secrets.UpdateParams{Metadata: map[string]any{"b": "3", "c": "4"}, MergeMetadata: true})
	require.NoError(t, err)
	want := map[string]any{"a": "1", "b": "3", "c": "4"}
	assert.Equal(t, want, u.Metadata, "merge sets the given keys and keeps the others")
	assert.Equal(t, 1, u.Version, "a metadata merge is not a value change")
	g, err := st.Get(ctx, dev, "M")
	require.NoError(t, err)
	assert.Equal(t, want, g.Metadata)

	// MergeMetadata without Metadata changes nothing; an empty patch keeps everything.
	for _, p := range []secrets.UpdateParams{{MergeMetadata: true}, {MergeMetadata: true, Metadata: map[string]any{}}} {
		u, err = st.Update(ctx, dev, "M", p)
		require.NoError(t, err)
		assert.Equal(t, want, u.Metadata)
	}
	// Without MergeMetadata the object is replaced.
	u, err = st.Update(ctx, dev, "M", secrets.UpdateParams{Metadata: map[string]any{"z": "9"}})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"z": "9"}, u.Metadata)

	// The merged object must fit the limit, though each part does.
	half := strings.Repeat("x", secrets.MaxMetadataBytes/2)
	_, err = st.Update(ctx, dev, "M", secrets.UpdateParams{Metadata: map[string]any{"h1": half}})
	require.NoError(t, err)
	_, err = st.Update(ctx, dev, "M", secrets.UpdateParams{Metadata: map[string]any{"h2": half}, MergeMetadata: true})
	require.ErrorIs(t, err, secrets.ErrInvalid)
	var ve *secrets.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "metadata", ve.Field)
	g, err = st.Get(ctx, dev, "M")
	require.NoError(t, err)
	assert.Equal(t, []string{"h1"}, mapKeys(g.Metadata), "a failed merge writes nothing")

	// Concurrent merges of different keys all survive (no lost update).
	_, err = st.Update(ctx, dev, "M", secrets.UpdateParams{Metadata: map[string]any{}})
	require.NoError(t, err)
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = st.Update(ctx, dev, "M", secrets.UpdateParams{
				Metadata: map[string]any{fmt.Sprintf("k%02d", i): "v"}, MergeMetadata: true})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "merge %d", i)
	}
	g, err = st.Get(ctx, dev, "M")
	require.NoError(t, err)
	assert.Len(t, g.Metadata, n, "every concurrent merge is kept: %v", mapKeys(g.Metadata))
}

func mapKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func testConcurrentUpdate(t *testing.T, h Harness) {
	st := h.Store()
	create(t, st, dev, "U", token(t))
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	vals := make([]string, n)
	for i := range n {
		vals[i] = token(t)
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = st.Update(ctx, dev, "U", secrets.UpdateParams{Value: &vals[i]})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "update %d", i)
	}
	g, err := st.Get(ctx, dev, "U")
	require.NoError(t, err)
	assert.Equal(t, n+1, g.Version, "every concurrent value change gets its own version")
	found := false
	for _, v := range vals {
		found = found || g.Value == v
	}
	assert.True(t, found, "the value is one of those written")
}

// testRotateWithTamperedSecret: a secret that does not decrypt neither stops
// a rotation nor is destroyed by it; the error names it.
func testRotateWithTamperedSecret(t *testing.T, h Harness) {
	km, ok := h.Store().(secrets.KeyManager)
	if !ok {
		t.Skip("store does not implement secrets.KeyManager")
	}
	st := h.Store()
	va := token(t)
	a := create(t, st, dev, "A", va)
	b := create(t, st, dev, "B", token(t))
	good := h.Ciphertext(t, b.ID)
	bad := bytes.Clone(good)
	bad[len(bad)-1] ^= 1
	h.SetCiphertext(t, b.ID, bad)

	res, err := km.RotateDataKey(ctx, secrets.RotateOptions{})
	require.ErrorIs(t, err, secrets.ErrEncryption)
	assert.Contains(t, err.Error(), `"B"`, "the error names the secret that could not be moved")
	noLeak(t, err, va)
	assert.Equal(t, 1, res.Reencrypted)
	assert.True(t, bytes.Equal(bad, h.Ciphertext(t, b.ID)), "the tampered ciphertext is left as it was")
	g, err := st.Get(ctx, dev, "A")
	require.NoError(t, err)
	valueIs(t, g, va, "the other secret after the rotation")
	id, err := secrets.KeyIDOf(h.Ciphertext(t, a.ID))
	require.NoError(t, err)
	assert.Equal(t, res.KeyID, id, "the other secret moved to the new key")

	// The old key stays: once repaired (say, from a backup), B reads again.
	h.SetCiphertext(t, b.ID, good)
	_, err = st.Get(ctx, dev, "B")
	require.NoError(t, err)
}

// testRotateResume: a rotation stopped halfway (here by cancelling its
// context after the first batch; kill -9 leaves the same state) leaves
// every secret readable, and the next RotateDataKey finishes it with the
// same key instead of making another.
func testRotateResume(t *testing.T, h Harness) {
	km, ok := h.Store().(secrets.KeyManager)
	if !ok {
		t.Skip("store does not implement secrets.KeyManager")
	}
	st := h.Store()
	vals := map[string]string{}
	for i := range 10 {
		n := fmt.Sprintf("R%02d", i)
		vals[n] = token(t)
		create(t, st, dev, n, vals[n])
	}
	stop, cancel := context.WithCancel(ctx)
	defer cancel()
	var calls []int
	first, err := km.RotateDataKey(stop, secrets.RotateOptions{BatchSize: 3, Progress: func(done, total int) {
		calls = append(calls, done)
		assert.Equal(t, 10, total, "progress total")
		cancel()
	}})
	require.NotEmpty(t, calls, "progress is reported")
	if err == nil {
		// The backend rotates in one step (nothing can be left halfway).
		assert.Equal(t, 10, first.Reencrypted)
		return
	}
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, first.Reencrypted, 10, "stopped halfway")
	for n, v := range vals {
		g, err := st.Get(ctx, dev, n)
		require.NoError(t, err, "%s readable halfway through a rotation", n)
		valueIs(t, g, v, "halfway")
	}
	// Another store instance (another process) sees the new active key and
	// resumes the rotation to it.
	st2, err := h.Reopen(t, h.Master())
	require.NoError(t, err)
	defer st2.Close()
	km2 := st2.(secrets.KeyManager)
	var last int
	second, err := km2.RotateDataKey(ctx, secrets.RotateOptions{BatchSize: 4, Progress: func(done, total int) { last = done }})
	require.NoError(t, err)
	assert.True(t, second.Resumed, "the interrupted rotation is resumed")
	assert.Equal(t, first.KeyID, second.KeyID, "no other key is made")
	assert.Equal(t, 10, first.Reencrypted+second.Reencrypted, "every row moved once")
	assert.Equal(t, second.Reencrypted, last)
	for n, v := range vals {
		g, err := st.Get(ctx, dev, n)
		require.NoError(t, err)
		valueIs(t, g, v, "after the resumed rotation")
		id, err := secrets.KeyIDOf(h.Ciphertext(t, g.ID))
		require.NoError(t, err)
		assert.Equal(t, first.KeyID, id, "%s is under the new key", n)
	}
	// Once finished, the next rotation makes a new key again.
	third, err := km.RotateDataKey(ctx, secrets.RotateOptions{})
	require.NoError(t, err)
	assert.False(t, third.Resumed)
	assert.NotEqual(t, first.KeyID, third.KeyID)
	assert.Equal(t, 10, third.Reencrypted)
}

// testRotateWhileWriting: writers keep updating and creating secrets while
// a rotation runs; no write is lost and every row ends under the new key.
func testRotateWhileWriting(t *testing.T, h Harness) {
	km, ok := h.Store().(secrets.KeyManager)
	if !ok {
		t.Skip("store does not implement secrets.KeyManager")
	}
	st := h.Store()
	const n = 30
	for i := range n {
		create(t, st, dev, fmt.Sprintf("W%02d", i), "v0")
	}
	var wg sync.WaitGroup
	done := make(chan struct{})
	errs := make(chan error, 2)
	last := make([]map[string]string, 2) // writer w owns the names W(2k+w)
	for w := range 2 {
		last[w] = map[string]string{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				name := fmt.Sprintf("W%02d", (2*i+w)%n)
				v := fmt.Sprintf("v-%d-%d", w, i)
				if _, err := st.Update(ctx, dev, name, secrets.UpdateParams{Value: &v}); err != nil {
					errs <- fmt.Errorf("update %s: %w", name, err)
					return
				}
				last[w][name] = v
				if i%5 == 0 {
					name = fmt.Sprintf("N%d_%d", w, i)
					if _, err := st.Create(ctx, dev, secrets.CreateParams{Name: name, Value: v}); err != nil {
						errs <- fmt.Errorf("create %s: %w", name, err)
						return
					}
					last[w][name] = v
				}
			}
		}()
	}
	res, err := km.RotateDataKey(ctx, secrets.RotateOptions{BatchSize: 5})
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	require.NoError(t, err)
	list, err := st.List(ctx, dev, secrets.ListParams{Limit: secrets.MaxListLimit})
	require.NoError(t, err)
	for _, s := range list {
		id, err := secrets.KeyIDOf(h.Ciphertext(t, s.ID))
		require.NoError(t, err)
		assert.Equal(t, res.KeyID, id, "%s is under the new key", s.Name)
	}
	for w := range 2 {
		for name, v := range last[w] {
			g, err := st.Get(ctx, dev, name)
			require.NoError(t, err)
			valueIs(t, g, v, "last write of "+name)
		}
	}
}

// testNameBound: the name is bound into the ciphertext, so swapping the
// names of two rows in the database (each row keeps its ciphertext) is
// detected on read, and a rename through the store keeps the value
// readable under its new name.
func testNameBound(t *testing.T, h Harness) {
	st := h.Store()
	va, vb := token(t), token(t)
	a := create(t, st, dev, "FIRST", va)
	b := create(t, st, dev, "SECOND", vb)
	h.SetName(t, a.ID, "TMP")
	h.SetName(t, b.ID, "FIRST")
	h.SetName(t, a.ID, "SECOND")
	for _, n := range []string{"FIRST", "SECOND"} {
		_, err := st.Get(ctx, dev, n)
		require.ErrorIs(t, err, secrets.ErrEncryption, "%s after the names were swapped", n)
		noLeak(t, err, va)
		noLeak(t, err, vb)
	}
	// Swapped back, both read again.
	h.SetName(t, a.ID, "TMP")
	h.SetName(t, b.ID, "SECOND")
	h.SetName(t, a.ID, "FIRST")
	g, err := st.Get(ctx, dev, "FIRST")
	require.NoError(t, err)
	valueIs(t, g, va, "swapped back")

	r, err := st.Update(ctx, dev, "FIRST", secrets.UpdateParams{NewName: ptr("THIRD")})
	require.NoError(t, err)
	assert.Equal(t, 1, r.Version, "a rename is not a value change")
	valueIs(t, r, va, "rename result")
	g, err = st.Get(ctx, dev, "THIRD")
	require.NoError(t, err)
	valueIs(t, g, va, "renamed")
	assert.Equal(t, 1, g.Version)
	// The old name on the row (a rename rolled back behind the store's
	// back) no longer opens it.
	h.SetName(t, a.ID, "FIRST")
	_, err = st.Get(ctx, dev, "FIRST")
	require.ErrorIs(t, err, secrets.ErrEncryption)
}

// testRenameDeleteRace: value updates racing renames and a delete of the
// same secret. Each update either lands (and counts as one version) or
// finds no secret of that name; nothing else fails and no version is lost.
func testRenameDeleteRace(t *testing.T, h Harness) {
	st := h.Store()
	create(t, st, dev, "X", token(t))
	const updaters, rounds = 4, 15
	var wg sync.WaitGroup
	var mu sync.Mutex
	landed := map[string]bool{}
	update := func(name string) {
		defer wg.Done()
		for i := range rounds {
			v := fmt.Sprintf("%s-%d-%s", name, i, token(t))
			_, err := st.Update(ctx, dev, name, secrets.UpdateParams{Value: &v})
			switch {
			case err == nil:
				mu.Lock()
				landed[v] = true
				mu.Unlock()
			case errors.Is(err, secrets.ErrNotFound):
			default:
				t.Errorf("update %s: %v", name, err)
			}
		}
	}
	for range updaters {
		wg.Add(1)
		go update("X")
	}
	wg.Add(1)
	go func() { // renames X to Y and back, ending on X
		defer wg.Done()
		for range 10 {
			_, err := st.Update(ctx, dev, "X", secrets.UpdateParams{NewName: ptr("Y")})
			assert.NoError(t, err, "rename X to Y")
			_, err = st.Update(ctx, dev, "Y", secrets.UpdateParams{NewName: ptr("X")})
			assert.NoError(t, err, "rename Y to X")
		}
	}()
	wg.Wait()
	g, err := st.Get(ctx, dev, "X")
	require.NoError(t, err)
	assert.Equal(t, 1+len(landed), g.Version, "one version per update that landed")
	if len(landed) > 0 {
		assert.True(t, landed[g.Value], "the value is one that was written")
	}

	create(t, st, dev, "Z", token(t))
	landed = map[string]bool{}
	for range updaters {
		wg.Add(1)
		go update("Z")
	}
	time.Sleep(5 * time.Millisecond)
	require.NoError(t, st.Delete(ctx, dev, "Z"))
	wg.Wait()
	_, err = st.Get(ctx, dev, "Z")
	require.ErrorIs(t, err, secrets.ErrNotFound, "no update resurrects a deleted secret")
	z := create(t, st, dev, "Z", token(t))
	assert.Equal(t, 1, z.Version, "a new secret of the old name starts over")
}
