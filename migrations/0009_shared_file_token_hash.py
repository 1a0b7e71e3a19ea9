from tortoise import migrations
from tortoise.migrations import operations as ops
import hashlib

# A file link's token is stored only as its SHA-256 (models/shared_files.py): the column is renamed, and the
# tokens of the files already shared are replaced by their hashes, so that their links go on working. Going back,
# the files shared are forgotten: a token cannot be had back from its hash, so their links could not work again.


async def hash_tokens(apps: object, schema_editor: object) -> None:
    """Replace every stored token by the hex SHA-256 of it."""
    client = schema_editor.client  # type: ignore[attr-defined]
    update = ("UPDATE shared_file SET token_hash = $1 WHERE id = $2" if client.capabilities.dialect == "postgres"
              else "UPDATE shared_file SET token_hash = ? WHERE id = ?")
    for row in await client.execute_query_dict("SELECT id, token_hash FROM shared_file"):
        await client.execute_query(update, [hashlib.sha256(row["token_hash"].encode()).hexdigest(), row["id"]])

async def forget_shared_files(apps: object, schema_editor: object) -> None:
    """Delete the files shared so far (going back to tokens stored as themselves)."""
    await schema_editor.client.execute_script("DELETE FROM shared_file")  # type: ignore[attr-defined]

class Migration(migrations.Migration):
    dependencies = [('models', '0008_quarter_tallies')]

    initial = False

    operations = [
        ops.RenameField(model_name='SharedFile', old_name='token', new_name='token_hash'),
        ops.RunPython(hash_tokens, forget_shared_files),
    ]
