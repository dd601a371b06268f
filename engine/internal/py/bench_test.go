package py

import (
	"context"
	"strconv"
	"testing"
)

func BenchmarkAddInt(b *testing.B) {
	st := NewState(context.Background(), Limits{})
	x, y := any(int64(1000)), any(int64(2345))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Add(st, x, y); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAddFloat(b *testing.B) {
	st := NewState(context.Background(), Limits{})
	x, y := any(1.5), any(int64(2))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Add(st, x, y); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAddStr(b *testing.B) {
	st := NewState(context.Background(), Limits{})
	x, y := any("Bearer "), any("tok_live_123456")
	b.ReportAllocs()
	for b.Loop() {
		st.Reset(context.Background(), Limits{})
		if _, err := Add(st, x, y); err != nil {
			b.Fatal(err)
		}
	}
}

func benchDict(n int) *Dict {
	d := NewDict(n)
	for i := range n {
		d.SetStr("key"+strconv.Itoa(i), int64(i))
	}
	return d
}

func BenchmarkGetItemDictSmall(b *testing.B) {
	st := NewState(context.Background(), Limits{})
	d := benchDict(6)
	key := any("key5")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := GetItem(st, d, key); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetItemDictLarge(b *testing.B) {
	st := NewState(context.Background(), Limits{})
	d := benchDict(100)
	key := any("key57")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := GetItem(st, d, key); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetAttrDict(b *testing.B) {
	st := NewState(context.Background(), Limits{})
	d := benchDict(6)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := GetAttr(st, d, "key3"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetItemList(b *testing.B) {
	st := NewState(context.Background(), Limits{})
	l := NewList([]any{int64(1), int64(2), int64(3)})
	k := any(int64(-1))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := GetItem(st, l, k); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReprFloat(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Repr(0.30000000000000004)
	}
}

func BenchmarkFormatFloat(b *testing.B) {
	st := NewState(context.Background(), Limits{})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Format(st, 1234.5678, ".2f"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEqualStr(b *testing.B) {
	x, y := any("assistant"), any("assistant")
	for b.Loop() {
		_ = Equal(x, y)
	}
}

func BenchmarkAddSmallInt(b *testing.B) {
	st := NewState(context.Background(), Limits{})
	x, y := any(int64(300)), any(int64(400))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Add(st, x, y); err != nil {
			b.Fatal(err)
		}
	}
}
