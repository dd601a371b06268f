package py

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDictWithValues(t *testing.T) {
	for n := range 11 {
		tpl := NewDict(n)
		var vals []any
		for i := range n {
			tpl.SetStr(string(rune('a'+i)), nil)
			vals = append(vals, int64(i))
		}
		d := tpl.WithValues(vals)
		require.Equal(t, n, d.Len())
		for i := range n {
			v, ok := d.GetStr(string(rune('a' + i)))
			require.True(t, ok)
			assert.Equal(t, int64(i), v)
		}
		// The copy is independent of the template and can grow.
		d.SetStr("zz", "new")
		assert.Equal(t, n+1, d.Len())
		assert.Equal(t, n, tpl.Len())
		if n > 0 {
			v, _ := tpl.GetStr("a")
			assert.Nil(t, v)
			v, _ = d.GetStr("zz")
			assert.Equal(t, "new", v)
		}
	}
}

func TestStateResetLimits(t *testing.T) {
	var st State
	st.Reset(context.Background(), Limits{})
	assert.Equal(t, DefaultLimits(), st.Limits())
	st.Reset(context.Background(), Limits{MaxOps: 5})
	assert.Equal(t, int64(5), st.Limits().MaxOps)
	assert.Equal(t, DefaultLimits().MaxBytes, st.Limits().MaxBytes)
	filled := st.Limits()
	st.Reset(context.Background(), filled)
	assert.Equal(t, filled, st.Limits())
	require.Error(t, st.Charge(6))
	st.Reset(context.Background(), Limits{})
	assert.Equal(t, DefaultLimits(), st.Limits())
	require.NoError(t, st.Charge(6))
}

func TestDictBatch(t *testing.T) {
	tpl := NewDict(2)
	tpl.SetStr("a", nil)
	tpl.SetStr("b", nil)
	b := tpl.Batch(2)
	d1 := b.Next([]any{int64(1), "x"})
	d2 := b.Next([]any{int64(2), "y"})
	d3 := b.Next([]any{int64(3), "z"}) // past the batch: its own allocation
	d1.SetStr("c", true)               // grows without touching d2
	assert.Equal(t, "{'a': 1, 'b': 'x', 'c': True}", Repr(d1))
	assert.Equal(t, "{'a': 2, 'b': 'y'}", Repr(d2))
	assert.Equal(t, "{'a': 3, 'b': 'z'}", Repr(d3))
	assert.Equal(t, "{'a': None, 'b': None}", Repr(tpl))
}
