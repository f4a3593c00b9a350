package replica

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// PracticeName is the practice this device belongs to, as /v1/practice
// last said.
type PracticeName struct {
	Name     string
	ODSCode  string
	Address  string // for letters the desktop prints
	Postcode string
	Phone    string
}

// SavePractice remembers the practice's name and ODS code.
func (r *Replica) SavePractice(ctx context.Context, p PracticeName) error {
	const op = "replica.SavePractice"
	if p.Name == "" {
		return fmt.Errorf("%s: a practice needs a name", op)
	}
	return r.inTx(ctx, op, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO practice (id, name, ods_code, address, postcode, phone) VALUES (1, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, ods_code = excluded.ods_code, address = excluded.address,
			postcode = excluded.postcode, phone = excluded.phone`, p.Name, p.ODSCode, p.Address, p.Postcode, p.Phone)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		return nil
	})
}

// Practice returns the remembered practice; ok is false before the device
// has ever reached the server.
func (r *Replica) Practice(ctx context.Context) (p PracticeName, ok bool, err error) {
	err = r.read.QueryRowContext(ctx, "SELECT name, ods_code, address, postcode, phone FROM practice WHERE id = 1").
		Scan(&p.Name, &p.ODSCode, &p.Address, &p.Postcode, &p.Phone)
	if errors.Is(err, sql.ErrNoRows) {
		return PracticeName{}, false, nil
	}
	if err != nil {
		return PracticeName{}, false, fmt.Errorf("replica.Practice: %w", err)
	}
	return p, true, nil
}
