"""Writes a CPython comparison corpus in the one format that
engine/internal/cpycorpus reads (see its package documentation): a header
line, then one JSON object per case. Generators import it with

    sys.path.insert(0, <path of engine/internal/cpycorpus>)
    import cpycorpus
"""
import gzip, json, platform

def case(group, inputs, *, env=None, repr=None, value=None, error=None, msg=None, bases=None):
    """Returns one case; exactly one of repr, value and error is given."""
    assert sum(x is not None for x in (repr, value, error)) == 1, (group, inputs)
    c = {"group": group, "in": list(inputs)}
    if env is not None:
        c["env"] = env
    if repr is not None:
        c["repr"] = repr
    if value is not None:
        c["value"] = value
    if error is not None:
        c["error"] = error
        if msg is not None:
            c["msg"] = msg
        if bases:
            c["bases"] = list(bases)
    return c

def write(path, corpus, generator, cases, envs=None, python=None, ensure_ascii=False):
    """Writes the corpus to path (gzip-compressed when it ends in .gz);
    ensure_ascii escapes every non-ASCII character (needed for lone
    surrogates, which UTF-8 cannot carry)."""
    header = {"corpus": corpus, "python": python or platform.python_version(), "generator": generator}
    if envs:
        header["envs"] = envs
    lines = [json.dumps(header, ensure_ascii=ensure_ascii, separators=(",", ":"))]
    lines += [json.dumps(c, ensure_ascii=ensure_ascii, separators=(",", ":")) for c in cases]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if path.endswith(".gz"):
        with open(path, "wb") as f:
            # mtime 0: the same cases give the same bytes
            with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as z:
                z.write(data)
    else:
        with open(path, "wb") as f:
            f.write(data)
