"""The chain head may only move forward: rolling it back to hide deleted rows is refused."""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION regie_audit_head_forward() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.seq < OLD.seq OR (NEW.seq = OLD.seq AND NEW.hash <> OLD.hash) THEN
    RAISE EXCEPTION 'audit head only moves forward';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER regie_audit_head_forward
  BEFORE UPDATE OR DELETE ON audit_audithead
  FOR EACH ROW EXECUTE FUNCTION regie_audit_head_forward();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS regie_audit_head_forward ON audit_audithead;
DROP FUNCTION IF EXISTS regie_audit_head_forward();
"""
SQLITE_CREATE = [
    "CREATE TRIGGER regie_audit_head_no_rollback BEFORE UPDATE ON audit_audithead "
    "WHEN NEW.seq < OLD.seq OR (NEW.seq = OLD.seq AND NEW.hash <> OLD.hash) "
    "BEGIN SELECT RAISE(ABORT, 'audit head only moves forward'); END;",
    "CREATE TRIGGER regie_audit_head_no_delete BEFORE DELETE ON audit_audithead "
    "BEGIN SELECT RAISE(ABORT, 'audit head only moves forward'); END;",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS regie_audit_head_no_rollback;", "DROP TRIGGER IF EXISTS regie_audit_head_no_delete;"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_CREATE)
    elif schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [migrations.RunPython(forwards, backwards)]
