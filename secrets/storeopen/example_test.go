package storeopen_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/storeopen"
)

func ExampleOpen() {
	// Normally set by the user; JULEP_DEVELOPER unset means "default".
	// (The example restores whatever the environment held before.)
	for _, v := range []string{secrets.EnvMasterKey, secrets.EnvMasterKeyFile, storeopen.EnvDeveloper} {
		if old, ok := os.LookupEnv(v); ok {
			defer os.Setenv(v, old)
		} else {
			defer os.Unsetenv(v)
		}
		os.Unsetenv(v)
	}
	os.Setenv(secrets.EnvMasterKey, secrets.GenerateMasterKey())
	ctx := context.Background()
	st, err := storeopen.Open(ctx, "memory:")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	s, _ := st.Create(ctx, storeopen.Developer(), secrets.CreateParams{Name: "API_KEY", Value: "sk-123"})
	fmt.Println(s.DeveloperID, s.Name, s.Version)

	_, err = storeopen.Open(ctx, "mysql://db.example/julep")
	fmt.Println(err)
	// Output:
	// default API_KEY 1
	// bad store spec: unknown store "mysql": want memory:, sqlite:PATH or postgres://…
}

func ExampleOpenWithKey() {
	dir, err := os.MkdirTemp("", "julep-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	spec := "sqlite:" + filepath.Join(dir, "secrets.db")
	master, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), secrets.EnvMasterKey)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	st, err := storeopen.OpenWithKey(ctx, spec, master)
	if err != nil {
		panic(err)
	}
	_, err = st.Create(ctx, "dev", secrets.CreateParams{Name: "DB_PASSWORD", Value: "hunter2", Metadata: map[string]any{"env": "prod"}})
	fmt.Println("created:", err == nil)
	// Merge a key into the metadata; the other keys stay.
	u, err := st.Update(ctx, "dev", "DB_PASSWORD", secrets.UpdateParams{
		Metadata: map[string]any{"owner": "ops"}, MergeMetadata: true})
	if err != nil {
		panic(err)
	}
	fmt.Println(u.Metadata["env"], u.Metadata["owner"], u.Version)
	st.Close()

	// The file keeps the data; another master key cannot open it.
	other, _ := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "another key")
	_, err = storeopen.OpenWithKey(ctx, spec, other)
	fmt.Println("other key:", errors.Is(err, secrets.ErrEncryption))
	st, err = storeopen.OpenWithKey(ctx, spec, master)
	if err != nil {
		panic(err)
	}
	defer st.Close()
	list, _ := st.List(ctx, "dev", secrets.ListParams{})
	fmt.Println(list[0].Name, list[0].Value)
	// Output:
	// created: true
	// prod ops 1
	// other key: true
	// DB_PASSWORD ENCRYPTED
}
