-- Step 10 on PostgreSQL: the same as on SQLite (migrations/sqlite), plus a statement-level trigger on
-- every table the window shows that notifies "rapport_changes SCHEMA" (each
-- schema a database of its own, as the tests use them) once per
-- statement (PostgreSQL folds equal notices of one transaction into one, and
-- sends them at commit), so that every desk's window shows another's
-- changes within a second or two (see DataVersion).

CREATE INDEX idx_tags_name ON tags (name, contact_id);

CREATE INDEX idx_contacts_stage ON contacts (stage);

CREATE INDEX idx_contacts_display_name ON contacts (display_name);

CREATE FUNCTION rapport_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			PERFORM pg_notify('rapport_changes ' || TG_TABLE_SCHEMA, TG_TABLE_NAME);
			RETURN NULL;
		END $$;

CREATE TRIGGER contacts_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON contacts FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_change();

CREATE TRIGGER phones_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON phones FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_change();

CREATE TRIGGER emails_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON emails FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_change();

CREATE TRIGGER addresses_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON addresses FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_change();

CREATE TRIGGER details_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON details FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_change();

CREATE TRIGGER important_dates_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON important_dates FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_change();

CREATE TRIGGER tags_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON tags FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_change();

CREATE TRIGGER journal_entries_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON journal_entries FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_change();

CREATE TRIGGER appointments_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON appointments FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_change();

CREATE TRIGGER note_reminders_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON note_reminders FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_change();

CREATE TRIGGER contact_links_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON contact_links FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_change();

CREATE TRIGGER settings_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_change();

CREATE TRIGGER import_batches_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON import_batches FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_change();

CREATE TRIGGER followup_marks_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON followup_marks FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_change();
