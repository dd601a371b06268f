package secrets

import (
	"crypto/rand"
	"encoding/binary"
	"testing"
)

// SealLegacyValue seals plaintext as stores wrote values before format
// version 2: format byte 1, bound by LegacyValueAAD (without the name).
// Tests of the upgrade path use it; the package never writes format 1.
func SealLegacyValue(t testing.TB, k *Keyring, ref ValueRef, plaintext []byte) []byte {
	t.Helper()
	out := make([]byte, ctHeaderLen+nonceLen, ctHeaderLen+nonceLen+len(plaintext)+tagLen)
	out[0] = LegacyCiphertextVersion
	binary.BigEndian.PutUint32(out[1:5], k.active)
	_, _ = rand.Read(out[ctHeaderLen:])
	return k.aeads[k.active].Seal(out, out[ctHeaderLen:], plaintext, fullAAD(out[:ctHeaderLen], LegacyValueAAD(ref.DeveloperID, ref.SecretID, ref.Version)))
}
