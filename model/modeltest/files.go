package modeltest

import (
	"fmt"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

func rawOpen(path string) (*gorm.DB, func(), error) {
	db, err := gorm.Open(sqlite.Open(path), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		return nil, nil, err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, nil, err
	}
	return db, func() { sqlDB.Close() }, nil
}

// MarkNewer records schema version in the database at path, as a newer
// Rapport would.
func MarkNewer(path string, version int) error {
	db, done, err := rawOpen(path)
	if err != nil {
		return err
	}
	defer done()
	err = db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'from the future', CURRENT_TIMESTAMP)", version).Error
	if err != nil {
		return fmt.Errorf("mark %s newer: %w", path, err)
	}
	return nil
}

// ForeignSQLite makes a SQLite database at path that is not Rapport's.
func ForeignSQLite(path string) error {
	db, done, err := rawOpen(path)
	if err != nil {
		return err
	}
	defer done()
	if err := db.Exec("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)").Error; err != nil {
		return err
	}
	return db.Exec("INSERT INTO recipes (name) VALUES ('Apfelstrudel')").Error
}
