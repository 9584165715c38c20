-- revision: 0013_outbox_reason_codes
-- Written by `python -m service.migrate`: do not edit by hand.

CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_entries', content_rowid='id', tokenize="unicode61 remove_diacritics 2");
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE events (
	position INTEGER NOT NULL, 
	id VARCHAR(36) NOT NULL, 
	stream VARCHAR(80) NOT NULL, 
	version INTEGER NOT NULL, 
	type VARCHAR(64) NOT NULL, 
	occurred_on DATE NOT NULL, 
	precision VARCHAR(5) NOT NULL, 
	data TEXT NOT NULL, 
	meta TEXT NOT NULL, 
	recorded_at DATETIME NOT NULL, 
	schema_version SMALLINT DEFAULT '1' NOT NULL, 
	PRIMARY KEY (position), 
	CONSTRAINT uq_events_stream_version UNIQUE (stream, version), 
	UNIQUE (id)
);
CREATE TABLE partnership_states (
	stream VARCHAR(80) NOT NULL, 
	desk VARCHAR(80), 
	version INTEGER NOT NULL, 
	position BIGINT NOT NULL, 
	state TEXT NOT NULL, country TEXT, province TEXT, place TEXT, fixed BOOLEAN, 
	PRIMARY KEY (stream)
);
CREATE TABLE projection_checkpoints (
	name VARCHAR(80) NOT NULL, 
	position BIGINT NOT NULL, fold_version INTEGER DEFAULT '0' NOT NULL, 
	PRIMARY KEY (name)
);
CREATE TABLE outbox (
	id INTEGER NOT NULL, 
	"key" VARCHAR(300) NOT NULL, 
	alert_key VARCHAR(300) NOT NULL, 
	rule VARCHAR(40) NOT NULL, 
	stream VARCHAR(80), 
	desk VARCHAR(80), 
	day DATE NOT NULL, 
	language VARCHAR(8) NOT NULL, 
	to_addrs TEXT NOT NULL, 
	cc_addrs TEXT NOT NULL, 
	subject TEXT NOT NULL, 
	body_text TEXT NOT NULL, 
	body_html TEXT NOT NULL, 
	message_id VARCHAR(200) NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	attempts INTEGER DEFAULT '0' NOT NULL, 
	next_attempt_at DATETIME, 
	lease_until DATETIME, 
	claim VARCHAR(64), 
	last_error TEXT, 
	created_at DATETIME NOT NULL, 
	first_attempt_at DATETIME, 
	sent_at DATETIME, last_error_code VARCHAR(40), last_error_params TEXT, 
	PRIMARY KEY (id), 
	UNIQUE ("key")
);
CREATE TABLE alert_marks (
	job VARCHAR(40) NOT NULL, 
	day DATE NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (job)
);
CREATE TABLE mailbox (
	id INTEGER NOT NULL, 
	received_at DATETIME NOT NULL, 
	mail_from TEXT NOT NULL, 
	rcpt_tos TEXT NOT NULL, 
	subject TEXT NOT NULL, 
	message_id VARCHAR(200), 
	raw TEXT NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE users (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	role VARCHAR(20) NOT NULL, 
	desk VARCHAR(80), 
	region VARCHAR(200), 
	token_hash VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	revoked_at DATETIME, name_key VARCHAR(200), email VARCHAR(320), language VARCHAR(8), password_hash VARCHAR(200), 
	PRIMARY KEY (id), 
	UNIQUE (name), 
	UNIQUE (token_hash)
);
CREATE TABLE idempotency_keys (
	user_id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	fingerprint VARCHAR(64) NOT NULL, 
	status SMALLINT NOT NULL, 
	body TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (user_id, "key")
);
CREATE TABLE app_secrets (
	name VARCHAR(80) NOT NULL, 
	value VARCHAR(200) NOT NULL, 
	PRIMARY KEY (name)
);
CREATE TABLE outbox_attempts (
	id INTEGER NOT NULL, 
	outbox_id INTEGER NOT NULL, 
	attempt INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	outcome VARCHAR(16) NOT NULL, 
	detail TEXT, code VARCHAR(40), params TEXT, 
	PRIMARY KEY (id)
);
CREATE TABLE page_sessions (
	id_hash VARCHAR(64) NOT NULL, 
	user_id INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	ended_at DATETIME, 
	PRIMARY KEY (id_hash)
);
CREATE TABLE alert_due (
	id INTEGER NOT NULL, 
	stream VARCHAR(80) NOT NULL, 
	first_day DATE NOT NULL, 
	last_day DATE NOT NULL, 
	rule VARCHAR(40) NOT NULL, 
	"key" VARCHAR(300), 
	PRIMARY KEY (id)
);
CREATE TABLE alert_due_mark (
	name VARCHAR(40) NOT NULL, 
	position BIGINT NOT NULL, 
	fingerprint VARCHAR(64) NOT NULL, 
	PRIMARY KEY (name)
);
CREATE TABLE partner_links (
	stream VARCHAR(80) NOT NULL, 
	contact_id VARCHAR(120) NOT NULL, 
	generation INTEGER NOT NULL, 
	revoked BOOLEAN NOT NULL, 
	changed_at DATETIME NOT NULL, 
	changed_by VARCHAR(120), 
	PRIMARY KEY (stream, contact_id)
);
CREATE TABLE password_links (
	id_hash VARCHAR(64) NOT NULL, 
	user_id INTEGER NOT NULL, 
	purpose VARCHAR(16) NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	used_at DATETIME, 
	PRIMARY KEY (id_hash)
);
CREATE TABLE registry_rows (
	stream VARCHAR(80) NOT NULL, 
	position BIGINT NOT NULL, 
	changes_on DATE, 
	indonesia_key TEXT, 
	partner_key TEXT, 
	province TEXT, 
	province_key TEXT, 
	place_key TEXT, 
	country VARCHAR(2), 
	kind VARCHAR(40), 
	stage VARCHAR(20), 
	activeness VARCHAR(20), 
	decade INTEGER, 
	signed_key VARCHAR(10), 
	activity_key VARCHAR(10), 
	PRIMARY KEY (stream)
);
CREATE TABLE registry_data (
	stream VARCHAR(80) NOT NULL, 
	data TEXT NOT NULL, 
	PRIMARY KEY (stream)
);
CREATE TABLE registry_waiting (
	stream VARCHAR(80) NOT NULL, 
	position BIGINT NOT NULL, 
	changes_on DATE, 
	PRIMARY KEY (stream)
);
CREATE TABLE registry_fields (
	stream VARCHAR(80) NOT NULL, 
	field_key TEXT NOT NULL
);
CREATE TABLE registry_words (
	stream VARCHAR(80) NOT NULL, 
	word TEXT NOT NULL
);
CREATE TABLE registry_mark (
	name VARCHAR(40) NOT NULL, 
	position BIGINT NOT NULL, 
	day DATE, 
	fingerprint VARCHAR(64) NOT NULL, 
	PRIMARY KEY (name)
);
CREATE TABLE search_entries (
	id INTEGER NOT NULL, 
	stream VARCHAR(80) NOT NULL, 
	kind VARCHAR(16) NOT NULL, 
	item VARCHAR(200) NOT NULL, 
	title TEXT NOT NULL, 
	body TEXT NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE search_checkpoint (
	name VARCHAR(40) NOT NULL, 
	position BIGINT NOT NULL, 
	generation BIGINT NOT NULL, 
	PRIMARY KEY (name)
);
CREATE INDEX ix_partnership_states_desk ON partnership_states (desk);
CREATE INDEX ix_outbox_alert_key ON outbox (alert_key);
CREATE INDEX ix_outbox_stream ON outbox (stream);
CREATE INDEX ix_outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX ix_outbox_attempts_outbox_id ON outbox_attempts (outbox_id);
CREATE INDEX ix_page_sessions_user_id ON page_sessions (user_id);
CREATE INDEX ix_partnership_states_country ON partnership_states (country);
CREATE INDEX ix_partnership_states_province ON partnership_states (province);
CREATE INDEX ix_partnership_states_place ON partnership_states (place);
CREATE INDEX ix_partnership_states_fixed ON partnership_states (fixed);
CREATE INDEX ix_alert_due_stream ON alert_due (stream);
CREATE INDEX ix_alert_due_days ON alert_due (last_day, first_day);
CREATE UNIQUE INDEX ux_users_name_key ON users (name_key);
CREATE INDEX ix_password_links_user_id ON password_links (user_id);
CREATE INDEX ix_registry_rows_changes_on ON registry_rows (changes_on);
CREATE INDEX ix_registry_rows_sorted ON registry_rows (indonesia_key, stream);
CREATE INDEX ix_registry_rows_partner ON registry_rows (partner_key, stream);
CREATE INDEX ix_registry_rows_province ON registry_rows (province_key, indonesia_key, stream);
CREATE INDEX ix_registry_rows_province_name ON registry_rows (province);
CREATE INDEX ix_registry_rows_country ON registry_rows (country, partner_key, stream);
CREATE INDEX ix_registry_rows_signed ON registry_rows (signed_key, stream);
CREATE INDEX ix_registry_rows_activity ON registry_rows (activity_key, stream);
CREATE INDEX ix_registry_rows_place ON registry_rows (place_key);
CREATE INDEX ix_registry_rows_kind ON registry_rows (kind);
CREATE INDEX ix_registry_rows_stage ON registry_rows (stage);
CREATE INDEX ix_registry_rows_activeness ON registry_rows (activeness);
CREATE INDEX ix_registry_rows_decade ON registry_rows (decade);
CREATE INDEX ix_registry_waiting_changes_on ON registry_waiting (changes_on);
CREATE INDEX ix_registry_fields_stream ON registry_fields (stream);
CREATE INDEX ix_registry_fields_field ON registry_fields (field_key, stream);
CREATE INDEX ix_registry_words_stream ON registry_words (stream);
CREATE INDEX ix_registry_words_word ON registry_words (word, stream);
CREATE INDEX ix_search_entries_stream ON search_entries (stream);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
       BEGIN SELECT RAISE(ABORT, 'events are immutable: UPDATE is not allowed'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
       BEGIN SELECT RAISE(ABORT, 'events are immutable: DELETE is not allowed'); END;
CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END;
CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END;
INSERT INTO "alembic_version" VALUES ('0013_outbox_reason_codes');
INSERT INTO "projection_checkpoints" VALUES ('partnership_states', 0, 0);
INSERT INTO "alert_due_mark" VALUES ('alert_due', 0, '');
INSERT INTO "registry_mark" VALUES ('registry', 0, NULL, '');
INSERT INTO "search_checkpoint" VALUES ('search', 0, -1);
