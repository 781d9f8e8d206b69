/**
 * The ingress: Debian's nginx with the Lua module, configured as
 * ingress-nginx is (balancer.lua beside this file): requests go to
 * /SERVICE/..., a Lua balancer picks the pod from the worker's copy of the
 * backend lists, `proxy_next_upstream error timeout` with
 * `proxy_next_upstream_tries`, 503 when the list is empty. Backend changes
 * arrive over the control port, never by a reload. nginx runs with a
 * private prefix in the testbed's folder, as the invoking user.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort, killGroup, sleep, spawnGroup, waitListening } from './procs.ts';
import { sourceFolder } from '../util/package-root.ts';

const here = sourceFolder('testbed'); // ingress/*.lua ship beside the sources, also when bundled
const modules = '/usr/lib/nginx/modules';

export interface IngressOptions {
  workers: number;
  tries: number;
  connectTimeout: number;
  pollInterval: number;
}

export interface Ingress {
  port: number;
  control: number;
  accessLog: string;
  /** Sends every service's backend list ("127.0.0.1:port", in pod-creation order). */
  push(lists: ReadonlyMap<string, readonly string[]>): Promise<void>;
  stop(): Promise<void>;
}

export function nginxConf(dir: string, port: number, control: number, o: IngressOptions): string {
  const root = process.getuid?.() === 0 ? `user ${userInfo().username};\n` : '';
  return `# Written by sim testbed: ingress-nginx's request path on loopback.
${root}load_module ${modules}/ndk_http_module.so;
load_module ${modules}/ngx_http_lua_module.so;
worker_processes ${o.workers};
daemon off;
master_process on;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log notice;
events { worker_connections 4096; }
http {
  lua_package_path "${here}/ingress/?.lua;/usr/share/lua/5.1/?.lua;;";
  lua_shared_dict backends 4m;
  init_worker_by_lua_block { require("balancer").init_worker(${o.pollInterval}) }
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  # One line per request: when it ended, how long it took, and every try.
  log_format tries '$msec\\t$request_time\\t$request_method\\t$service\\t$status\\t$upstream_addr\\t$upstream_status\\t$upstream_response_time\\t$upstream_http_x_implementation';
  upstream upstream_balancer {
    server 0.0.0.1; # placeholder: balancer_by_lua picks the peer
    balancer_by_lua_block { require("balancer").balance() }
  }
  server {
    listen 127.0.0.1:${port} reuseport;
    access_log ${dir}/access.log tries;
    location ~ ^/(?<service>[a-z0-9-]+)(/|$) {
      rewrite_by_lua_block { require("balancer").rewrite() }
      proxy_pass http://upstream_balancer;
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries ${o.tries};
      proxy_connect_timeout ${o.connectTimeout}s;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
    location / { set $service ""; return 404; }
  }
  server {
    listen 127.0.0.1:${control};
    access_log off;
    location /configuration/backends { content_by_lua_block { require("balancer").configure() } }
  }
}
`;
}

const exec = promisify(execFile);

export async function startNginx(folder: string, o: IngressOptions): Promise<Ingress> {
  const dir = resolve(folder); // nginx resolves relative paths against its prefix
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  const port = await freePort();
  const control = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConf(dir, port, control, o));
  const args = ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')];
  await exec('nginx', [...args, '-t'], { timeout: 30_000 }).catch((e: Error & { stderr?: string }) => {
    throw new Error(`nginx -t failed (apt-get install nginx libnginx-mod-http-lua lua-resty-core): ${e.stderr ?? e.message}`);
  });
  const child = spawnGroup('nginx', args);
  let exited = false;
  child.once('exit', () => (exited = true));
  if (!(await waitListening(control, 20_000, 20)) || !(await waitListening(port, 5000, 20)) || exited) {
    killGroup(child.pid ?? 0);
    throw new Error(`nginx did not start; see ${join(dir, 'error.log')}`);
  }
  return {
    port, control, accessLog: join(dir, 'access.log'),
    async push(lists) {
      const body = [...lists].map(([s, l]) => [s, ...l].join(' ')).join('\n');
      const r = await fetch(`http://127.0.0.1:${control}/configuration/backends`, { method: 'POST', body });
      if (r.status !== 201) throw new Error(`the ingress refused the backend lists: HTTP ${r.status}`);
    },
    async stop() {
      child.kill('SIGQUIT');
      for (let i = 0; i < 60 && !exited; i++) await sleep(50);
      killGroup(child.pid ?? 0);
    },
  };
}
