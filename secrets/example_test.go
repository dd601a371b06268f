package secrets_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/julepkit/julep/secrets"
)

func ExampleValidateName() {
	for _, n := range []string{"OPENAI_API_KEY", "1password", "api-key"} {
		err := secrets.ValidateName(n)
		fmt.Println(n, err == nil, errors.Is(err, secrets.ErrInvalid))
	}
	// Output:
	// OPENAI_API_KEY true false
	// 1password false true
	// api-key false true
}

func ExampleSecret_String() {
	s := secrets.Secret{ID: "4b9e", DeveloperID: "dev", Name: "API_KEY", Value: "sk-live-123", Version: 2}
	fmt.Println(s)
	fmt.Printf("%+v\n", &s)
	// Output:
	// Secret{ID:4b9e, DeveloperID:dev, Name:API_KEY, Version:2, Value:[REDACTED]}
	// Secret{ID:4b9e, DeveloperID:dev, Name:API_KEY, Version:2, Value:[REDACTED]}
}

func ExampleKeyring() {
	master, err := secrets.ParseMasterKey(secrets.GenerateMasterKey(), secrets.EnvMasterKey)
	if err != nil {
		panic(err)
	}
	// A store creates its first data key, stores it wrapped, and opens the keyring.
	dk, err := secrets.NewWrappedDataKey(master, 1, true, time.Now())
	if err != nil {
		panic(err)
	}
	ring, err := secrets.OpenKeyring(master, []secrets.WrappedDataKey{dk})
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	ref := secrets.ValueRef{DeveloperID: "dev", SecretID: "secret-id", Name: "API_KEY", Version: 1}
	ct, _ := secrets.SealValue(ctx, ring, ref, []byte("sk-live-123"))
	pt, _ := secrets.OpenValue(ctx, ring, ref, ct)
	fmt.Println(string(pt))
	// The same ciphertext in another secret's row does not decrypt.
	_, err = secrets.OpenValue(ctx, ring, secrets.ValueRef{DeveloperID: "dev", SecretID: "other-id", Name: "API_KEY", Version: 1}, ct)
	fmt.Println(errors.Is(err, secrets.ErrEncryption))
	// Nor does it when the row's name was changed behind the store's back.
	ref.Name = "OTHER_KEY"
	_, err = secrets.OpenValue(ctx, ring, ref, ct)
	fmt.Println(errors.Is(err, secrets.ErrEncryption))
	// Output:
	// sk-live-123
	// true
	// true
}
