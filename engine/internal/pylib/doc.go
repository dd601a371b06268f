// Package pylib is the library of the expression engine: the methods of
// str, list, tuple, dict and set, the builtin functions, Julep's helper
// functions and the restricted modules, with CPython 3.12's results.
//
// # The library
//
// Library builds a *py.Library from explicit tables; nothing registers
// itself at init time. The engine builds one and hands it to every
// evaluation's py.State. Julep's constants NEWLINE, true, false and null are
// values, not functions: they are the library's Constants, which the
// translator substitutes.
//
//   - str methods: capitalize casefold center count encode (NotImplementedError)
//     endswith expandtabs find format index isalnum isalpha isascii isdecimal
//     isdigit isidentifier islower isnumeric isprintable isspace istitle isupper
//     join ljust lower lstrip partition removeprefix removesuffix replace rfind
//     rindex rjust rpartition rsplit rstrip split splitlines startswith strip
//     swapcase title upper zfill.
//   - list: append clear copy count extend index insert pop remove reverse sort;
//     tuple: count index; dict: clear copy get items keys values pop popitem
//     setdefault update fromkeys; set: add clear copy difference discard
//     intersection isdisjoint issubset issuperset pop remove
//     symmetric_difference union update.
//   - builtins: abs all any bool dict enumerate float int len list map max min
//     round set str sum tuple zip reduce range sorted reversed filter repr
//     format chr ord divmod pow hex oct bin; Julep's load_json load_yaml
//     dump_json dump_yaml extract_json search_regex match_regex, and nlp
//     chunk_doc markdown_to_html html_to_markdown humanize_text (all five
//     NotImplementedError).
//   - modules: re, json, yaml, string, datetime, math, statistics, base64,
//     urllib.parse (also "urllib" with attribute parse), random, time, csv.
//   - object types (py.Object): Range ("range"), DictView ("dict_keys",
//     "dict_values", "dict_items"), Pattern ("re.Pattern"), Match
//     ("re.Match"), Datetime ("datetime.datetime", "datetime.date"),
//     Time ("datetime.time"), Timedelta ("datetime.timedelta"), Timezone
//     ("datetime.timezone"),
//     Class ("type": datetime.datetime and friends, callable with class
//     attributes), URLResult ("ParseResult", "SplitResult"). TypeName is
//     CPython's tp_name (as error messages show it); methods are registered
//     under it.
//   - dict.fromkeys works on an instance and on the class: the class form is
//     the builtin "dict.fromkeys", which the engine resolves for the
//     attribute dict.fromkeys.
//
// Every string, list and dict built is charged to the evaluation's
// py.State, so that 'a'.center(10**10) is a LimitError, not an allocation.
//
// # Deviations from CPython
//
//   - Regular expressions run on Go's RE2 after translation: lookarounds,
//     backreferences, atomic groups, possessive quantifiers and conditionals
//     are refused with re.error (kind "error") naming the feature; \b is
//     ASCII-based; a non-MULTILINE "$" matches before a final newline only
//     when the subject has no other newline; after an empty match, a
//     non-empty match at the same place is found among the top-level
//     alternatives only (lazy quantifiers differ: re.findall('a*?', 'aa'));
//     CPython's special handling of repeated groups that can match empty is
//     not reproduced; repeat counts are limited to 1000. (Julep itself runs
//     these modules on RE2 through pyre2, with the same refusals and an
//     ASCII ; unlike pyre2 our \d \w \s are Unicode, as CPython's.)
//   - zip, map, filter, enumerate and reversed return lists (CPython returns
//     iterators whose repr shows an address); range is a real range object.
//   - Sets keep insertion order (package py).
//   - json.dumps: cls and default are not supported. json.loads replaces lone
//     surrogate escapes with U+FFFD (Go strings are UTF-8).
//   - yaml: yaml.safe_load and yaml.load resolve plain scalars as PyYAML
//     (YAML 1.1: "yes" is True, 012 octal, 1:30 sexagesimal); Julep's
//     load_yaml helper follows YAML 1.2 (yaml.v3, as Julep's ruamel loader,
//     so "yes" stays a string); dumping reproduces PyYAML's safe_dump defaults
//     (block style, sorted keys, ASCII with escapes, folding at 80 columns)
//     for plain data; options other than sort_keys are refused.
//   - datetime: naive now(), today() and astimezone() use UTC (the process's
//     time zone is never consulted); only fixed-offset time zones exist;
//     timedeltas are limited to about ±106,000 days; combine is refused;
//     timetuple gives tm_isdst -1 (fixed-offset zones have no DST); unary minus on a timedelta needs an Object hook in py
//     (abs() works).
//   - time.sleep is refused; time.strftime formats the current UTC time or
//     a struct_time (its tm_wday and tm_yday are recomputed from the date);
//     time.strptime gives a struct_time; strftime follows glibc (C locale) including %-d,
//     %e, %k, %l, %P and %s (naive times taken as UTC).
//   - random is not seedable or deterministic.
//   - csv: reader and DictReader take the CSV text (a str) and return lists;
//     writers are refused.
//   - base64 functions take and return str (Julep's restricted version).
//   - math: exp, log, log2, log10, sin, cos and tan are computed with 112-bit
//     big.Float series (256-bit argument reduction) and rounded, matching
//     glibc (about 15 µs a call); the other functions use Go's math
//     package and may differ in the last bit.
//   - Limits raise LimitError (JULEP.md rule 4): factorial beyond 5000,
//     comb/perm beyond 100,000, ints beyond py's MaxIntBits, range beyond
//     MaxCollectionLen, helper inputs beyond 1,000,000 characters, random
//     populations beyond 10,000 items.
//
// Nothing here touches files, the network, the environment or the process.
package pylib

//go:generate python3.12 testdata/gen_tables.py
//go:generate gofmt -w unitables.go
