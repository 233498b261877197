//! Schema-builder shorthands shared by the migrations (portable across SQLite and PostgreSQL).

use sea_orm_migration::prelude::*;

/// A foreign key from `table.column` to `target.target_column`; referenced rows cannot be deleted.
pub(crate) fn references(table: &'static str, column: &'static str, target: &'static str, target_column: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, target_column)
        .on_delete(ForeignKeyAction::Restrict)
        .take()
}

/// The name [`index`] gives an index on `columns` of `table`.
pub(crate) fn index_name(table: &str, columns: &[&str]) -> String {
    format!("ix_{table}_{}", columns.join("_"))
}

/// A plain index named after its table and columns.
pub(crate) fn index(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut statement = Index::create();
    statement.name(index_name(table, columns)).table(table);
    for column in columns {
        statement.col(*column);
    }
    statement.take()
}
