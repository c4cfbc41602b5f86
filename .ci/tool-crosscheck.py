#!/usr/bin/env python3
"""Cross-checks the drill grader's tool tables and the built-in deck's drills against the real
tools, wherever one is installed (CI installs etcd's client from Debian; openssl, systemctl and
journalctl come with the machine).

1. Every command path and flag in src/grade/command/tools.toml must appear in the installed tool's
   own help for that command. A table is written for the pinned version (etcd v3.6, …); flags that
   the installed, older version lacks are listed in OLDER_INSTALLED with the reason, and only those
   may be missing.
2. Every step of every drill answer and `accept` entry of content/ that uses etcdctl or openssl is
   run with the real tool, with every absolute path moved into a scratch folder and etcd endpoints
   pointed at a closed port, so nothing outside the scratch folder is read or written and nothing
   is reached: the tool must not refuse it as a usage error (unknown flag or command, a missing
   argument). systemctl and journalctl commands act on the machine, so they are not run; their
   flags are checked against --help (1.).

Prints what it checked; exits 1 on the first disagreement list.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = tomllib.loads((ROOT / "src/grade/command/tools.toml").read_text())["tools"]

# Flags of the pinned version that an older installed tool does not have, and why.
OLDER_INSTALLED = {
    # Debian bookworm packages etcd 3.4; these global flags arrived in etcd 3.5.
    "etcdctl": {
        "--auth-jwt-token": "added in etcd v3.5",
        "--max-request-bytes": "added in etcd v3.5",
        "--max-recv-bytes": "added in etcd v3.5",
        "--count-only": "not in etcd v3.4's `get`",
        "--range": "not in etcd v3.4's `del`",
    },
}

# Tools whose --help lists every option (apt-get's and apt-mark's list only a few).
HELP_LISTS_EVERY_FLAG = {
    "etcdctl", "etcdutl", "kubeadm", "crictl", "helm", "systemctl", "journalctl", "openssl",
}

# Output that means the tool refused the command line itself.
USAGE_ERRORS = {
    "etcdctl": re.compile(
        r"unknown flag|unknown shorthand flag|unknown command|flag needs an argument|"
        r"invalid argument|accepts \d+ arg|requires|expected"
    ),
    "openssl": re.compile(r"Unknown option|Invalid command|Use -help for summary|Extra option"),
}


def help_text(tool: str, path: str) -> str:
    words = path.split() if path else []
    if tool == "openssl":
        args = [tool, *words, "-help"]
    elif tool in ("systemctl", "journalctl"):
        args = [tool, "--help"]
    else:
        args = [tool, *words, "--help"]
    run = subprocess.run(args, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    return run.stdout + run.stderr


def flag_names(line: str) -> list[str]:
    return line.split()[0].split("|")


def check_tables() -> list[str]:
    problems = []
    for tool, entry in TABLE.items():
        if not shutil.which(tool):
            print(f"{tool}: not installed, table not cross-checked")
            continue
        if tool not in HELP_LISTS_EVERY_FLAG:
            print(f"{tool}: its --help does not list every option, table not cross-checked")
            continue
        allowed = OLDER_INSTALLED.get(tool, {})
        checked = 0
        for command in entry.get("command", []):
            if command.get("removed"):
                continue
            text = help_text(tool, command["path"])
            if tool not in ("systemctl", "journalctl") and command["path"]:
                last = command["path"].split()[-1]
                if last not in text:
                    problems.append(f"{tool} {command['path']}: the installed {tool} does not know this command")
                    continue
            for line in command.get("flags", []) + entry.get("flags", []):
                for name in flag_names(line):
                    if name in allowed:
                        continue
                    # openssl lists digests and ciphers as one `-*` entry.
                    if tool == "openssl" and re.fullmatch(r"-(sha|aes)\d+", name) and " -* " in text:
                        continue
                    pattern = r"(?<![\w-])" + re.escape(name) + r"(?![\w-])"
                    if not re.search(pattern, text):
                        problems.append(f"{tool} {command['path']}: {name} is not in `{tool} {command['path']} --help`")
                    checked += 1
        print(f"{tool}: {checked} flag spellings checked against the installed tool's help")
    return problems


def steps(answer: str) -> list[str]:
    """The commands of an answer: lines, and `&&` or `;` outside quotes."""
    parts, current, quote = [], "", None
    index = 0
    while index < len(answer):
        c = answer[index]
        if quote:
            quote = None if c == quote else quote
            current += c
        elif c in "'\"":
            quote = c
            current += c
        elif c == "\n" or c == ";" or answer.startswith("&&", index):
            parts.append(current)
            current = ""
            index += 1 if c != "&" else 2
            continue
        else:
            current += c
        index += 1
    parts.append(current)
    return [part.strip() for part in parts if part.strip()]


def run_step(step: str, scratch: Path, exported: dict[str, str]) -> str | None:
    """Runs an etcdctl or openssl step safely; returns the usage error it printed, if any."""
    words = shlex.split(step)
    env = dict(exported)
    while words and (words[0] == "sudo" or re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0])):
        word = words.pop(0)
        if word != "sudo":
            name, value = word.split("=", 1)
            env[name] = value
    if not words or words[0] not in USAGE_ERRORS:
        return None
    tool = words[0]

    def inside(value: str) -> str:
        # Every absolute path (alone or after `=`) moves into the scratch folder.
        if "=" in value and not value.startswith("/"):
            name, rest = value.split("=", 1)
            return f"{name}={inside(rest)}"
        return str(scratch / value.lstrip("/")) if value.startswith("/") else value

    words = [inside(word) for word in words]
    environment = {"PATH": os.environ["PATH"], "HOME": str(scratch)}
    for name, value in env.items():
        environment[name] = inside(value)
    if tool == "etcdctl":
        # Nothing listens there: the command is read, then fails to connect.
        environment.update(
            ETCDCTL_ENDPOINTS="127.0.0.1:1",
            ETCDCTL_DIAL_TIMEOUT="300ms",
            ETCDCTL_COMMAND_TIMEOUT="300ms",
        )
        words = [w for w in words if not w.startswith("--endpoints")]
    if tool == "openssl":
        # openssl says nothing about some unknown options when its input is missing, so give it
        # real material: a key and a self-signed certificate wherever the step names one.
        key, cert = scratch / "material.key", scratch / "material.crt"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=kubedrill",
             "-days", "2", "-keyout", str(key), "-out", str(cert)],
            capture_output=True, check=True, timeout=60,
        )
        for word in words:
            target = Path(word.split("=", 1)[-1])
            if target.is_relative_to(scratch) and target.suffix in (".crt", ".pem", ".key"):
                target.parent.mkdir(parents=True, exist_ok=True)
                if not target.exists():
                    shutil.copy(key if target.suffix == ".key" else cert, target)
    run = subprocess.run(
        words,
        capture_output=True,
        text=True,
        timeout=30,
        cwd=scratch,
        env=environment,
        stdin=subprocess.DEVNULL,
    )
    said = (run.stdout + run.stderr).strip()
    if tool == "openssl":
        # With real input, a command openssl accepts succeeds.
        return None if run.returncode == 0 else (said.splitlines() or [f"exit {run.returncode}"])[0]
    match = USAGE_ERRORS[tool].search(said)
    return next(line for line in said.splitlines() if match.group(0) in line) if match else None


def first_variant(text: str, params: dict) -> str:
    """The text of a drill's first variant: each `{{name}}` (or `{{name.field}}`) by its first value."""

    def value(match: re.Match) -> str:
        name, _, field = match.group(1).partition(".")
        values = params.get(name)
        if isinstance(values, dict):  # a range: { from = 2, to = 4 }
            first = values.get("from")
        else:
            first = values[0] if values else ""
        if field and isinstance(first, dict):
            first = first.get(field, "")
        return str(first)

    return re.sub(r"\{\{\s*([\w.]+)\s*\}\}", value, text)


def check_drills() -> list[str]:
    problems = []
    counts: dict[str, int] = {}
    for drills in sorted((ROOT / "content/topics").glob("*/drills.toml")):
        topic = drills.parent.name
        for drill in tomllib.loads(drills.read_text()).get("drill", []):
            for answer in [drill["answer"], *drill.get("accept", [])]:
                answer = first_variant(answer, drill.get("params", {}))
                exported: dict[str, str] = {}
                for step in steps(answer):
                    if step.startswith("export "):
                        for word in shlex.split(step)[1:]:
                            name, value = word.split("=", 1)
                            exported[name] = value
                        continue
                    tool = next(
                        (w for w in shlex.split(step) if w != "sudo" and "=" not in w.split("/")[0]),
                        "",
                    )
                    if tool not in USAGE_ERRORS or not shutil.which(tool):
                        continue
                    with tempfile.TemporaryDirectory() as scratch:
                        refused = run_step(step, Path(scratch), exported)
                    counts[tool] = counts.get(tool, 0) + 1
                    if refused:
                        problems.append(f"{topic}/{drill['id']}: `{step}`: {tool} refuses it: {refused}")
    for tool, count in sorted(counts.items()):
        print(f"{tool}: {count} drill steps run by the installed tool")
    return problems


def main() -> int:
    problems = check_tables() + check_drills()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} disagreements with the installed tools", file=sys.stderr)
        return 1
    print("the tool tables and drills agree with every installed tool")
    return 0


if __name__ == "__main__":
    sys.exit(main())
