"""Formatters run on generated text, so that freshness checks compare formatted code."""

import subprocess


def rustfmt(source: str) -> str:
    done = subprocess.run(
        ["rustfmt", "--edition", "2024", "--emit", "stdout"],
        input=source, capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"rustfmt rejected generated code:\n{done.stderr}")
    return done.stdout
