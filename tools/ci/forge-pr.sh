#!/usr/bin/env bash
# 在 Forgejo/Gitea 上开启或更新（已有则更新同一个）一个拉取请求；分支上没有改动时关闭它。
# 只用 curl 调本平台的 API（/api/v1），JSON 用容器里的 python3 处理；不依赖任何 action。
# .forgejo/workflows/status.yml 调用。
#
# 用法：tools/ci/forge-pr.sh open HEAD_BRANCH BASE_BRANCH TITLE BODY_FILE
#       tools/ci/forge-pr.sh close HEAD_BRANCH
# 环境变量：FORGE_URL（如 https://git.example.gov.cn）、FORGE_REPO（owner/name）、FORGE_TOKEN（机器人账号的
#           令牌，需 write:repository 权限）
set -euo pipefail
: "${FORGE_URL:?缺少 FORGE_URL}" "${FORGE_REPO:?缺少 FORGE_REPO}" "${FORGE_TOKEN:?缺少 FORGE_TOKEN（仓库密钥 ROSTER_BOT_TOKEN）}"
api="${FORGE_URL%/}/api/v1/repos/${FORGE_REPO}"

call() { # METHOD PATH [JSON]
  curl --silent --show-error --fail-with-body -X "$1" -H "Authorization: token ${FORGE_TOKEN}" \
    -H "Content-Type: application/json" -H "Accept: application/json" ${3:+--data "$3"} "${api}$2"
}

open_pr_number() { # HEAD_BRANCH -> number of the open pull request from that branch, or nothing
  call GET "/pulls?state=open&limit=50" | python3 -c '
import json, sys
for pr in json.load(sys.stdin):
    if pr["head"]["ref"] == sys.argv[1]:
        print(pr["number"])
        break
' "$1"
}

case "${1:-}" in
  open)
    head=$2 base=$3 title=$4 body_file=$5
    number=$(open_pr_number "$head")
    if [ -n "$number" ]; then
      payload=$(python3 -c 'import json,sys; print(json.dumps({"title": sys.argv[1], "body": open(sys.argv[2], encoding="utf-8").read()}))' "$title" "$body_file")
      call PATCH "/pulls/${number}" "$payload" >/dev/null
      echo "已更新拉取请求 #${number}"
    else
      payload=$(python3 -c 'import json,sys; print(json.dumps({"head": sys.argv[1], "base": sys.argv[2], "title": sys.argv[3], "body": open(sys.argv[4], encoding="utf-8").read()}))' "$head" "$base" "$title" "$body_file")
      number=$(call POST "/pulls" "$payload" | python3 -c 'import json,sys; print(json.load(sys.stdin)["number"])')
      echo "已开启拉取请求 #${number}"
    fi
    ;;
  close)
    head=$2
    number=$(open_pr_number "$head")
    if [ -n "$number" ]; then
      call PATCH "/pulls/${number}" '{"state": "closed"}' >/dev/null
      echo "没有到期的自动变更，已关闭拉取请求 #${number}"
    fi
    call DELETE "/branches/${head}" >/dev/null 2>&1 || true
    ;;
  *)
    echo "用法：forge-pr.sh open HEAD BASE TITLE BODY_FILE | close HEAD" >&2
    exit 2
    ;;
esac
