# shellcheck shell=bash
# Shared helpers for scripts/infra.sh: logging, pids, ports, apt install, waits.
# Sourced by scripts/infra.sh only (needs ROOT, STATE and INSTALL_TIMEOUT from it).
# shellcheck disable=SC2016 # single-quoted `bash -c` snippets expand their own "$1"...

# ---------------------------------------------------------------- helpers ---
# bash's `command -v` also returns a matching non-executable file; require -x.
have() { local p; p=$(command -v -- "$1" 2>/dev/null) && [[ -x $p ]]; }
note() { printf 'infra: %s\n' "$*" >&2; }
die() { printf 'infra: error: %s\n' "$*" >&2; exit 1; }
line() { if [[ -n ${3:-} ]]; then printf '%-8s %-9s %s\n' "$1" "$2" "$3"; else printf '%-8s %s\n' "$1" "$2"; fi; }
is_root() { [[ $(id -u) -eq 0 ]]; }
rel() { printf '%s' "${1#"$ROOT"/}"; } # path relative to the repo root, for messages

now_us() { local t=${EPOCHREALTIME/./}; printf '%s' "${t#0}"; }
since() { # start_us -> "1.2s"
  local d=$(( $(now_us) - $1 ))
  printf '%d.%01ds' $((d / 1000000)) $(((d % 1000000) / 100000))
}

# Alive = exists and is not a zombie (an unreaped zombie still "exists" for kill -0).
pid_alive() {
  local st
  [[ ${1:-} =~ ^[0-9]+$ ]] || return 1
  st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  st=${st##*) }
  [[ -n $st && ${st:0:1} != Z ]]
}
# pid_matches PID GLOB: PID is alive and its command line matches GLOB.
pid_matches() {
  local cmd
  pid_alive "${1:-}" || return 1
  cmd=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
  # shellcheck disable=SC2053
  [[ $cmd == $2 ]]
}
read_pid() { if [[ -s $1 ]]; then head -n1 "$1" 2>/dev/null | tr -dc '0-9' || true; fi; }

port_ok() { [[ $1 =~ ^[1-9][0-9]{0,4}$ ]] && (($1 <= 65535)); } # a TCP port number

tcp_open() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null; }

tail_log() { # file [lines]
  local f=$1 n=${2:-30}
  if [[ -s $f ]]; then
    printf -- '----- last %s lines of %s -----\n' "$n" "$(rel "$f")" >&2
    tail -n "$n" "$f" >&2
    printf -- '-----\n' >&2
  fi
}

port_owner_hint() { # port -> extra hint text (who listens), best effort
  have ss || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | head -n1 |
    sed -nE 's/.*users:\(\("([^"]+)",pid=([0-9]+).*/(\1, pid \2)/p'
}

# ---------------------------------------------------------- installation ---
can_apt() { is_root && have apt-get; }

# apt_install PKG...: install Debian packages (root + apt-get only), serialised
# by a lock so a parallel `pg-bindir` and `up` do not fight over dpkg.
apt_install() {
  local log="$STATE/install.log" rc=0
  mkdir -p "$STATE"
  note "installing $* with apt-get (log: $(rel "$log")) ..."
  (
    exec 9>&- # packages may start services (postinst): they must not inherit our locks
    flock -w "$INSTALL_TIMEOUT" 8 || { echo "timed out waiting for $(rel "$STATE")/.install.lock" >&2; exit 1; }
    export DEBIAN_FRONTEND=noninteractive
    apt() { timeout "$INSTALL_TIMEOUT" apt-get -q -o DPkg::Lock::Timeout=300 "$@" >>"$log" 2>&1 8>&-; }
    updated=0
    # apt-get update only if a package is unknown / has no install candidate.
    for p in "$@"; do
      if ! apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [^(]'; then
        apt update || exit 1
        updated=1
        break
      fi
    done
    if ! apt install -y "$@"; then
      # Stale package lists give 404s: refresh once and retry.
      [[ $updated -eq 0 ]] || exit 1
      apt update || exit 1
      apt install -y "$@" || exit 1
    fi
  ) 8>"$STATE/.install.lock" || rc=$?
  if [[ $rc -ne 0 ]]; then
    tail_log "$log" 20
    return 1
  fi
}

# ------------------------------------------------------------------ waits ---
redact() { printf '%s' "$1" | sed -E 's#(://[^:/@]*:)[^@]*@#\1***@#'; }

wait_gone() { # pid seconds
  local deadline=$((SECONDS + $2))
  while pid_alive "$1"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# `down` of a component this script is not running: drop its stale pid file and say whether the
# port is someone else's server (left alone) or free.
report_unmanaged() { # name pidfile port
  rm -f "$2"
  if tcp_open 127.0.0.1 "$3"; then
    line "$1" skipped "127.0.0.1:$3 was not started by infra.sh; left alone"
  else
    line "$1" stopped ""
  fi
}

# SIGTERM, then SIGKILL if the process is still there after `grace` seconds.
terminate() { # name pid grace
  kill -TERM "$2" 2>/dev/null || true
  if ! wait_gone "$2" "$3"; then
    note "$1 (pid $2) did not stop within ${3}s of SIGTERM; killing it"
    kill -KILL "$2" 2>/dev/null || true
    wait_gone "$2" 5 || true
  fi
}
