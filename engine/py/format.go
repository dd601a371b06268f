package py

// Format implements format(v, spec) (the format-spec mini-language) for
// int, big int, float, str, bool and None and Objects implementing
// Formatter: fill, align (< > ^ =), sign (+ - space), z, #, 0, width,
// grouping (, and _), .precision and the types b c d e E f F g G n o s x X
// %. Errors use CPython's messages ("Unknown format code 'd' for object of
// type 'str'").
func Format(st *State, v any, spec string) (string, error) { return "", errNotImpl("format") }
