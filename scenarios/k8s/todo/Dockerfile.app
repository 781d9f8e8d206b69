# The TODO microservices' image (level 1 of the defense): Python, Node.js and
# PHP implementations of users, projects and tasks (src/testbed/apps/), and
# the entrypoint that starts one of them at random as PID 1. Build from the
# repository root, one image for every service (SERVICE is set per Deployment):
#   docker build -f scenarios/k8s/todo/Dockerfile.app -t REGISTRY/todo:mtd .
# Not built by the project's CI (no container runtime there); the same files
# run as processes under `sim testbed`.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      python3 python3-pymysql nodejs node-mysql php-cli php-mysql \
    && rm -rf /var/lib/apt/lists/*
COPY src/testbed/apps /app
ENV PORT=8080 LISTEN_HOST=0.0.0.0 IMPLEMENTATIONS="python:1 node:1 php:1" SIGTERM_MODE=ignore
# Environment of the Deployment: SERVICE (users|projects|tasks), DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD.
EXPOSE 8080
ENTRYPOINT ["/bin/sh", "/app/entrypoint.sh"]
