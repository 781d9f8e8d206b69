-- The ingress's balancer, as ingress-nginx's balancer.lua does it: the
-- controller POSTs every service's backend list to the control port, which
-- stores it in a shared dict; each worker reloads its own copy every
-- second (a timer), so a change reaches a worker at its next reload, with
-- no nginx reload. Round robin: one position per service per worker,
-- advanced on every try, modulo the current list's length.
local ngx_balancer = require("ngx.balancer")

local _M = {}
local backends = {} -- service -> { "127.0.0.1:port", ... }, this worker's copy
local position = {} -- service -> tries sent so far
local version = -1

local function parse(text)
  local lists = {}
  for line in text:gmatch("[^\n]+") do
    local service, list = nil, {}
    for word in line:gmatch("%S+") do
      if service == nil then service = word else list[#list + 1] = word end
    end
    if service ~= nil then lists[service] = list end
  end
  return lists
end

local function sync()
  local dict = ngx.shared.backends
  local v = dict:get("version") or 0
  if v == version then return end
  backends = parse(dict:get("backends") or "")
  version = v
  ngx.log(ngx.NOTICE, "backends reloaded: version ", v)
end

function _M.init_worker(interval)
  sync()
  local ok, err = ngx.timer.every(interval, sync)
  if not ok then ngx.log(ngx.ERR, "cannot start the backend reload timer: ", err) end
end

-- Control port: POST /configuration/backends, one line per service
-- ("users 127.0.0.1:40001 127.0.0.1:40002"); GET returns this worker's copy and version.
function _M.configure()
  if ngx.req.get_method() == "POST" then
    ngx.req.read_body()
    local body = ngx.req.get_body_data() or ""
    local dict = ngx.shared.backends
    dict:set("backends", body)
    dict:incr("version", 1, 0)
    ngx.status = 201
    return ngx.say("ok")
  end
  ngx.say("version ", version)
  for service, list in pairs(backends) do ngx.say(service, " ", table.concat(list, " ")) end
end

-- Before proxying: a service with no backend answers 503 at once.
function _M.rewrite()
  local list = backends[ngx.var.service]
  if list == nil or #list == 0 then return ngx.exit(503) end
end

function _M.balance()
  local service = ngx.var.service
  local list = backends[service]
  -- A retry finding an empty list fails (502).
  if list == nil or #list == 0 then return ngx.exit(502) end
  local p = position[service] or 0
  position[service] = p + 1
  local host, port = list[p % #list + 1]:match("^(.+):(%d+)$")
  ngx_balancer.set_more_tries(1)
  local ok, err = ngx_balancer.set_current_peer(host, tonumber(port))
  if not ok then
    ngx.log(ngx.ERR, "set_current_peer: ", err)
    return ngx.exit(502)
  end
end

return _M
