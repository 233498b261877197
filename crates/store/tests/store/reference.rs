use caunoi_store::reference;

use crate::on_each_backend;

#[tokio::test]
async fn reference_data_is_complete_and_loading_twice_changes_nothing() {
    on_each_backend(|db| async move {
        let expected =
            vec![("provinces", 34), ("communes", 3321), ("legacy_communes", 10_602), ("occupations", 619), ("countries", 250)];
        assert_eq!(reference::stored_counts(&db.store).await.unwrap(), expected);

        // TestDatabase::new loaded once already; a second load must find every dataset current.
        let outcomes = reference::load(&db.store).await.unwrap();
        assert_eq!(outcomes.len(), 5);
        assert!(outcomes.iter().all(|o| !o.loaded), "{outcomes:?}");
        assert_eq!(reference::stored_counts(&db.store).await.unwrap(), expected);
    })
    .await;
}

#[tokio::test]
async fn changed_dataset_is_reloaded_without_duplicates() {
    on_each_backend(|db| async move {
        // Pretend an older release loaded different data: the loader must upsert, not duplicate.
        db.execute("UPDATE reference_datasets SET fingerprint = 'old' WHERE name IN ('communes', 'legacy_communes')").await;
        db.execute("UPDATE communes SET name = 'sai tên' WHERE code = '00004'").await;
        let outcomes = reference::load(&db.store).await.unwrap();
        let loaded: Vec<_> = outcomes.iter().filter(|o| o.loaded).map(|o| o.name).collect();
        assert_eq!(loaded, ["communes", "legacy_communes"]);
        let counts = reference::stored_counts(&db.store).await.unwrap();
        assert_eq!(counts[1], ("communes", 3321));
        assert_eq!(counts[2], ("legacy_communes", 10_602));
        let overview = caunoi_store::stats::overview(&db.store).await.unwrap();
        assert_eq!(overview.communes, 3321);
    })
    .await;
}

/// Prints the server each back-end test ran against (CI shows it with `--nocapture`).
#[tokio::test]
async fn database_servers_answer() {
    use sea_orm::{ConnectionTrait, Statement};
    on_each_backend(|db| async move {
        let sql = if db.backend_name() == "postgres" { "SELECT version() AS v" } else { "SELECT 'SQLite ' || sqlite_version() AS v" };
        let row = db.store.connection().query_one_raw(Statement::from_string(db.db_backend(), sql)).await.unwrap().unwrap();
        let version: String = row.try_get("", "v").unwrap();
        println!("{} test database answered: {version}", db.backend_name());
        assert!(version.to_lowercase().contains(db.backend_name().trim_end_matches("gres")), "{version}");
    })
    .await;
}
