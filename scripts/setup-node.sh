# Source this file (`. scripts/setup-node.sh`): puts Node 24 first on PATH when the machine's Node
# is older than 22, taking the binary from the npm registry's `node@24` package into a cache.
warren_node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$warren_node_major" -lt 22 ]; then
  warren_node_cache="${WARREN_NODE_CACHE:-$HOME/.cache/warren-node}"
  if [ ! -x "$warren_node_cache/node_modules/node/bin/node" ]; then
    echo "Node $(node --version 2>/dev/null || echo none) is too old; fetching node@24 into $warren_node_cache" >&2
    mkdir -p "$warren_node_cache"
    (cd "$warren_node_cache" && npm install --no-save --no-package-lock --no-audit --no-fund node@24 >&2)
  fi
  export PATH="$warren_node_cache/node_modules/node/bin:$PATH"
fi
unset warren_node_major warren_node_cache
