package storeopen_test

import (
	"context"
	"fmt"
	"os"

	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/storeopen"
)

func ExampleOpen() {
	// Normally set by the user; JULEP_DEVELOPER unset means "default".
	for _, v := range []string{secrets.EnvMasterKeyFile, storeopen.EnvDeveloper} {
		if old, ok := os.LookupEnv(v); ok {
			os.Unsetenv(v)
			defer os.Setenv(v, old)
		}
	}
	os.Setenv(secrets.EnvMasterKey, secrets.GenerateMasterKey())
	defer os.Unsetenv(secrets.EnvMasterKey)
	ctx := context.Background()
	st, err := storeopen.Open(ctx, "memory:")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer st.Close()
	s, _ := st.Create(ctx, storeopen.Developer(), secrets.CreateParams{Name: "API_KEY", Value: "sk-123"})
	fmt.Println(s.DeveloperID, s.Name, s.Version)

	_, err = storeopen.Open(ctx, "postgres://db.example/julep")
	fmt.Println(err)
	// Output:
	// default API_KEY 1
	// postgres store not implemented yet
}
