package py

// GetItem implements obj[key]: list, tuple and str with (negative) int
// indexes (IndexError "list index out of range"), str by code point, dict
// (KeyError with the key's short repr), Objects implementing ItemGetter.
func GetItem(st *State, obj, key any) (any, error) { return nil, errNotImpl("subscript") }

// GetSlice implements obj[lower:upper:step] for str, list and tuple; nil
// means omitted. Step 0 is ValueError "slice step cannot be zero".
func GetSlice(st *State, obj, lower, upper, step any) (any, error) {
	return nil, errNotImpl("slice")
}

// Len implements len(v) (code points for str); TypeError
// "object of type 'int' has no len()".
func Len(v any) (int, error) { return 0, errNotImpl("len") }

// Iterate returns the items to loop over: a list's Items slice (not copied:
// do not modify it), a tuple, the one-character strings of a str, a dict's
// keys, a set's elements, an Iterable Object's items. It charges one work
// unit per item; TypeError "'int' object is not iterable".
func Iterate(st *State, v any) ([]any, error) { return nil, errNotImpl("iteration") }
