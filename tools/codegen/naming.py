"""Names in each language's own style."""

import keyword
import re

RUST_KEYWORDS = {
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe",
    "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv",
    "typeof", "unsized", "virtual", "yield", "try", "gen",
}


def snake(name: str) -> str:
    name = re.sub(r"[^0-9A-Za-z]+", "_", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return name.strip("_").lower()


def pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", name) if part)


def camel(name: str) -> str:
    p = pascal(name)
    return p[:1].lower() + p[1:]


def rust_ident(name: str) -> str:
    ident = snake(name)
    if ident in {"self", "Self", "super", "crate"}:
        return ident + "_"
    return f"r#{ident}" if ident in RUST_KEYWORDS else ident


def python_ident(name: str) -> str:
    ident = snake(name)
    return ident + "_" if keyword.iskeyword(ident) or ident in {"import"} else ident
