# Sourced by ci scripts: the build cache lives outside the clone.
DB_CACHE=${DUMPBENCH_CACHE:-/var/cache/dumpbench}
mkdir -p "$DB_CACHE" 2>/dev/null || { DB_CACHE=$HOME/.cache/dumpbench; mkdir -p "$DB_CACHE"; }
export DB_CACHE
