// The TODO microservice SERVICE (users, projects or tasks) in Node.js: the
// same REST API as app.py, but names with Cyrillic characters are rejected
// (400). Node's http module plus Debian's node-mysql (NODE_PATH=/usr/share/nodejs).
'use strict';
const http = require('node:http');
const mysql = require('mysql');

const SERVICE = process.env.SERVICE;
const IMPL = 'node';
const pool = mysql.createPool({
  host: process.env.DB_HOST || '127.0.0.1', port: Number(process.env.DB_PORT || 3306), user: process.env.DB_USER || 'root',
  password: process.env.DB_PASSWORD || '', database: process.env.DB_NAME || 'todo', charset: 'utf8mb4', connectionLimit: 8,
});
const cyrillic = /[\u0400-\u04FF]/;

function reply(res, status, body) {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8', 'Content-Length': data.length,
    'X-Implementation': IMPL, 'X-Pod': process.env.POD_NAME || '',
  });
  res.end(data);
}

const server = http.createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (req.method === 'GET' && path === '/healthz') return reply(res, 200, { ok: true });
  const prefix = `/${SERVICE}/`;
  if (req.method === 'GET' && path.startsWith(prefix)) {
    const name = decodeURIComponent(path.slice(prefix.length));
    return pool.query(`SELECT name, parent FROM ${SERVICE} WHERE name = ? LIMIT 1`, [name], (err, rows) => {
      if (err) return reply(res, 500, { error: String(err) });
      if (rows.length === 0) return reply(res, 404, { error: 'not found' });
      reply(res, 200, { name: rows[0].name, parent: rows[0].parent });
    });
  }
  if (req.method === 'POST' && path.replace(/\/$/, '') === `/${SERVICE}`) {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    return req.on('end', () => {
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        if (typeof body.name !== 'string') throw new Error('name');
      } catch {
        return reply(res, 400, { error: 'expected JSON {name, parent}' });
      }
      // Only the record's own name is validated (a clean task of a malicious project is clean).
      if (cyrillic.test(body.name)) return reply(res, 400, { error: 'invalid characters' });
      pool.query(`INSERT INTO ${SERVICE} (name, parent) VALUES (?, ?)`, [body.name, body.parent ?? null], (err) => {
        if (err) return reply(res, 500, { error: String(err) });
        reply(res, 201, { name: body.name });
      });
    });
  }
  reply(res, 404, { error: 'not found' });
});
server.keepAliveTimeout = 5000;
server.listen(Number(process.env.PORT), process.env.LISTEN_HOST || '127.0.0.1', () => console.log(`listening ${Date.now() / 1000}`));
if (process.env.SIGTERM_MODE === 'drain') {
  // Drain: stop accepting, finish the requests in flight, then exit.
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
