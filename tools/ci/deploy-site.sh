#!/usr/bin/env bash
# 把网站归档部署到 web 主机：scp 上传到 DEPLOY_PATH/releases/，在主机上解压到新目录，再把
# DEPLOY_PATH/current 这个符号链接原子地换过去（nginx 的 root 指向 current）。保留最近 5 个版本（归档名以日期时间开头，按名字排序即按时间），回退时
# 把 current 指回上一个目录即可。工作流 .forgejo/workflows/site.yml 调用；IT 也可以在自己的电脑上手工运行。
#
# 用法：tools/ci/deploy-site.sh ARCHIVE.tar.gz
# 环境变量：DEPLOY_HOST DEPLOY_USER DEPLOY_PATH（必需），DEPLOY_PORT（默认 22），
#           DEPLOY_SSH_KEY_FILE（私钥文件）、DEPLOY_KNOWN_HOSTS_FILE（主机公钥，不接受未知主机）
set -euo pipefail

archive=${1:?用法：deploy-site.sh ARCHIVE.tar.gz}
: "${DEPLOY_HOST:?缺少 DEPLOY_HOST（仓库密钥）}" "${DEPLOY_USER:?缺少 DEPLOY_USER}" "${DEPLOY_PATH:?缺少 DEPLOY_PATH}"
: "${DEPLOY_SSH_KEY_FILE:?缺少私钥文件}" "${DEPLOY_KNOWN_HOSTS_FILE:?缺少主机公钥文件（known_hosts）}"
port=${DEPLOY_PORT:-22}
release=$(basename "$archive" .tar.gz)
case "$release" in *[!A-Za-z0-9._-]*) echo "归档名只能含字母、数字和 ._-：$release" >&2; exit 1 ;; esac
opts=(-i "$DEPLOY_SSH_KEY_FILE" -o BatchMode=yes -o StrictHostKeyChecking=yes
      -o UserKnownHostsFile="$DEPLOY_KNOWN_HOSTS_FILE")
target="${DEPLOY_USER}@${DEPLOY_HOST}"

ssh "${opts[@]}" -p "$port" "$target" "mkdir -p '$DEPLOY_PATH/releases'"
scp -q "${opts[@]}" -P "$port" "$archive" "$target:$DEPLOY_PATH/releases/$release.tar.gz"
ssh "${opts[@]}" -p "$port" "$target" "set -eu
cd '$DEPLOY_PATH'
rm -rf 'releases/$release'
mkdir 'releases/$release'
tar -xzf 'releases/$release.tar.gz' -C 'releases/$release'
ln -sfn 'releases/$release' current.new
mv -T current.new current
ls -1d releases/*/ | sort -r | tail -n +6 | xargs -r rm -rf
ls -1 releases/*.tar.gz | sort -r | tail -n +6 | xargs -r rm -f
echo \"已部署：\$(readlink current)\""
