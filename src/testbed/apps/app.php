<?php
// The TODO microservice SERVICE (users, projects or tasks) in PHP, run by
// PHP's built-in server (php -S 127.0.0.1:PORT app.php): the same REST API
// as app.py, but names with Cyrillic characters are rejected (400).
// Debian's php-cli and php-mysql (mysqli).
$service = getenv('SERVICE');
header('X-Implementation: php');
header('X-Pod: ' . (getenv('POD_NAME') ?: ''));
header('Content-Type: application/json; charset=utf-8');

function reply(int $status, array $body): void {
  http_response_code($status);
  echo json_encode($body, JSON_UNESCAPED_UNICODE);
}
function db(): mysqli {
  mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
  $m = new mysqli(getenv('DB_HOST') ?: '127.0.0.1', getenv('DB_USER') ?: 'root', getenv('DB_PASSWORD') ?: '', getenv('DB_NAME') ?: 'todo', (int) (getenv('DB_PORT') ?: 3306));
  $m->set_charset('utf8mb4');
  return $m;
}

$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$prefix = "/$service/";
try {
  if ($_SERVER['REQUEST_METHOD'] === 'GET' && $path === '/healthz') {
    reply(200, ['ok' => true]);
  } elseif ($_SERVER['REQUEST_METHOD'] === 'GET' && str_starts_with($path, $prefix)) {
    $name = rawurldecode(substr($path, strlen($prefix)));
    $db = db(); // the statement needs its connection alive
    $st = $db->prepare("SELECT name, parent FROM $service WHERE name = ? LIMIT 1");
    $st->bind_param('s', $name);
    $st->execute();
    $row = $st->get_result()->fetch_row();
    if ($row === null) reply(404, ['error' => 'not found']);
    else reply(200, ['name' => $row[0], 'parent' => $row[1]]);
  } elseif ($_SERVER['REQUEST_METHOD'] === 'POST' && rtrim($path, '/') === "/$service") {
    $body = json_decode(file_get_contents('php://input'), true);
    if (!is_array($body) || !is_string($body['name'] ?? null)) {
      reply(400, ['error' => 'expected JSON {name, parent}']);
    } elseif (preg_match('/\p{Cyrillic}/u', $body['name'])) {
      reply(400, ['error' => 'invalid characters']);
    } else {
      $parent = $body['parent'] ?? null;
      $db = db(); // the statement needs its connection alive
    $st = $db->prepare("INSERT INTO $service (name, parent) VALUES (?, ?)");
      $st->bind_param('ss', $body['name'], $parent);
      $st->execute();
      reply(201, ['name' => $body['name']]);
    }
  } else {
    reply(404, ['error' => 'not found']);
  }
} catch (Throwable $e) {
  reply(500, ['error' => $e->getMessage()]);
}
