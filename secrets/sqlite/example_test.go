package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/sqlite"
)

func Example() {
	dir, _ := os.MkdirTemp("", "julep-example")
	defer os.RemoveAll(dir)
	master, _ := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "test")
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(dir, "secrets.db"), master)
	if err != nil {
		panic(err)
	}
	defer st.Close()
	s, _ := st.Create(ctx, "dev", secrets.CreateParams{Name: "API_KEY", Value: "sk-123"})
	v := "sk-456"
	s, _ = st.Update(ctx, "dev", "API_KEY", secrets.UpdateParams{Value: &v})
	fmt.Println(s.Name, s.Version)
	_, err = st.Create(ctx, "dev", secrets.CreateParams{Name: "API_KEY", Value: "x"})
	fmt.Println(err)
	// Output:
	// API_KEY 2
	// secret already exists: "API_KEY"
}
