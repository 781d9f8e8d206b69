-- The TODO system's database: one table per microservice, names in utf8mb4
-- so that the malicious (Cyrillic) records are stored as sent.
CREATE TABLE users (name VARCHAR(191) NOT NULL PRIMARY KEY, parent VARCHAR(191) NULL) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE TABLE projects (name VARCHAR(191) NOT NULL PRIMARY KEY, parent VARCHAR(191) NOT NULL) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE TABLE tasks (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(191) NOT NULL, parent VARCHAR(191) NOT NULL, KEY (name)) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
