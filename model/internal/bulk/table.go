package bulk

import (
	"context"
	"database/sql/driver"
	"fmt"
	"reflect"
	"slices"
	"sync"

	"gorm.io/gorm/schema"
)

// Table is how rows of the model T are written: its table and columns as
// GORM's schema of T names them, and how each column's value is read from
// a row. A field added to T is written with no list to update.
type Table[T any] struct {
	name    string
	columns []string
	values  []func(reflect.Value) any
}

// NewTable reads the schema of T (parsed into cache, shared by the tables
// of one store) under naming, leaving out the columns in leave: those the
// database fills in itself.
func NewTable[T any](cache *sync.Map, naming schema.Namer, leave ...string) (*Table[T], error) {
	s, err := schema.Parse(new(T), cache, naming)
	if err != nil {
		return nil, fmt.Errorf("schema of %T: %w", *new(T), err)
	}
	t := &Table[T]{name: s.Table}
	for _, name := range s.DBNames {
		f := s.FieldsByDBName[name]
		if slices.Contains(leave, name) || !f.Creatable {
			continue
		}
		get := f.ReflectValueOf
		conv := converter(f.FieldType)
		t.columns = append(t.columns, name)
		t.values = append(t.values, func(row reflect.Value) any { return conv(get(context.Background(), row)) })
	}
	return t, nil
}

// Name is the table's name.
func (t *Table[T]) Name() string { return t.name }

// Columns are the columns written, in the order of T's fields.
func (t *Table[T]) Columns() []string { return slices.Clone(t.columns) }

// Without is t without the columns named, such as the ID where the
// database hands it out.
func (t *Table[T]) Without(columns ...string) *Table[T] {
	out := &Table[T]{name: t.name}
	for i, c := range t.columns {
		if !slices.Contains(columns, c) {
			out.columns, out.values = append(out.columns, c), append(out.values, t.values[i])
		}
	}
	return out
}

// Add queues row, a row of t, on w.
func Add[T any](w *Writer, t *Table[T], row *T) {
	rows := w.rows(t.name, t.columns, len(t.columns))
	v := reflect.ValueOf(row).Elem()
	for _, value := range t.values {
		rows.args = append(rows.args, value(v))
	}
}

// converter reads a field of type typ as the value binding hands the
// driver: the plain kind under a named type (a Stage is a string), NULL
// for a nil pointer. Both encoders then take it without the reflection of
// driver.DefaultParameterConverter. A type of its own (a driver.Valuer, a
// time.Time) is passed on as it is.
func converter(typ reflect.Type) func(reflect.Value) any {
	valuer := reflect.TypeFor[driver.Valuer]()
	if typ.Implements(valuer) || reflect.PointerTo(typ).Implements(valuer) {
		return reflect.Value.Interface
	}
	switch typ.Kind() {
	case reflect.String:
		return func(v reflect.Value) any { return v.String() }
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(v reflect.Value) any { return v.Int() }
	case reflect.Bool:
		return func(v reflect.Value) any { return v.Bool() }
	case reflect.Float32, reflect.Float64:
		return func(v reflect.Value) any { return v.Float() }
	case reflect.Pointer:
		elem := converter(typ.Elem())
		return func(v reflect.Value) any {
			if v.IsNil() {
				return nil
			}
			return elem(v.Elem())
		}
	case reflect.Slice:
		if typ.Elem().Kind() == reflect.Uint8 {
			return func(v reflect.Value) any {
				if v.IsNil() {
					return nil // bound, a nil slice is NULL
				}
				return v.Bytes()
			}
		}
	}
	return reflect.Value.Interface
}
