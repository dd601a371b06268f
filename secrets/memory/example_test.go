package memory_test

import (
	"context"
	"fmt"

	"github.com/julepkit/julep/secrets"
	"github.com/julepkit/julep/secrets/memory"
)

func Example() {
	master, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), "test")
	if err != nil {
		panic(err)
	}
	st, err := memory.New(master)
	if err != nil {
		panic(err)
	}
	defer st.Close()
	ctx := context.Background()
	if _, err := st.Create(ctx, "dev", secrets.CreateParams{Name: "API_KEY", Value: "sk-123"}); err != nil {
		panic(err)
	}
	list, _ := st.List(ctx, "dev", secrets.ListParams{})
	fmt.Println(list[0].Name, list[0].Value)
	_, err = st.Get(ctx, "someone-else", "API_KEY")
	fmt.Println(err)
	// Output:
	// API_KEY ENCRYPTED
	// secret not found: "API_KEY"
}
