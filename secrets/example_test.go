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
	aad := secrets.ValueAAD("dev", "secret-id", 1)
	ct, _ := ring.Encrypt(ctx, aad, []byte("sk-live-123"))
	pt, _ := ring.Decrypt(ctx, aad, ct)
	fmt.Println(string(pt))
	// The same ciphertext in another secret's row does not decrypt.
	_, err = ring.Decrypt(ctx, secrets.ValueAAD("dev", "other-id", 1), ct)
	fmt.Println(errors.Is(err, secrets.ErrEncryption))
	// Output:
	// sk-live-123
	// true
}
