package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/julepkit/julep/internal/restapi"
	"github.com/julepkit/julep/secrets"
)

// readyDeveloper is a developer id no key can have (it holds a space): the
// readiness probe lists its (empty) secrets to reach the store.
const readyDeveloper = "readyz probe"

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 when both stores answer a query.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if _, err := s.store.List(r.Context(), readyDeveloper, secrets.ListParams{Limit: 1}); err != nil {
		requestInfo(r.Context()).errMsg = "secrets store: " + err.Error()
		writeError(w, &apiError{code: restapi.CodeUnavailable, msg: "secrets store unreachable"})
		return
	}
	if err := s.keys.Ping(r.Context()); err != nil {
		requestInfo(r.Context()).errMsg = "api key store: " + err.Error()
		writeError(w, &apiError{code: restapi.CodeUnavailable, msg: "API key store unreachable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// out is a secret as the API answers it: metadata never null.
func out(sec *secrets.Secret) *secrets.Secret {
	c := *sec
	if c.Metadata == nil {
		c.Metadata = map[string]any{}
	}
	return &c
}

func (s *Server) create(w http.ResponseWriter, r *http.Request, dev string) error {
	body, aerr := readBody(r, w, s.limits.MaxBodyBytes)
	if aerr != nil {
		return aerr
	}
	p, err := DecodeCreate(body)
	if err != nil {
		return err
	}
	defer s.lockWrites(dev)()
	sec, err := s.store.Create(r.Context(), dev, p)
	if err != nil {
		s.fail(w, r, p.Value, err)
		return nil
	}
	writeJSON(w, http.StatusCreated, out(sec))
	return nil
}

func (s *Server) list(w http.ResponseWriter, r *http.Request, dev string) error {
	p, err := ListQuery(r.URL.Query())
	if err != nil {
		return err
	}
	items, err := s.store.List(r.Context(), dev, p)
	if err != nil {
		return err
	}
	res := make([]*secrets.Secret, len(items))
	for i, sec := range items {
		res[i] = out(sec)
		res[i].Value = secrets.EncryptedPlaceholder
	}
	// The SDK's list answer is a bare array (SecretListResponse = Array<Secret>).
	writeJSON(w, http.StatusOK, res)
	return nil
}

// lookup finds the secret a path segment names: a valid secret name is a
// name, anything else an id (ids are UUIDs, which are never valid names).
func (s *Server) lookup(ctx context.Context, dev, seg string) (*secrets.Secret, error) {
	if secrets.ValidateName(seg) == nil {
		return s.store.Get(ctx, dev, seg)
	}
	return s.store.GetByID(ctx, dev, seg)
}

// nameOf returns the name of the secret a path segment names.
func (s *Server) nameOf(ctx context.Context, dev, seg string) (string, error) {
	if secrets.ValidateName(seg) == nil {
		return seg, nil
	}
	sec, err := s.store.GetByID(ctx, dev, seg)
	if err != nil {
		return "", err
	}
	return sec.Name, nil
}

func (s *Server) get(w http.ResponseWriter, r *http.Request, dev string) error {
	sec, err := s.lookup(r.Context(), dev, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out(sec))
	return nil
}

func (s *Server) put(w http.ResponseWriter, r *http.Request, dev string) error {
	return s.update(w, r, dev, true)
}

func (s *Server) patch(w http.ResponseWriter, r *http.Request, dev string) error {
	return s.update(w, r, dev, false)
}

// update serves PUT (full) and PATCH: fields absent or null are kept;
// metadata replaces the stored object, or with ?metadata=merge on PATCH
// sets its keys and keeps the others (in the store's transaction).
func (s *Server) update(w http.ResponseWriter, r *http.Request, dev string, full bool) error {
	merge := false
	switch mode := r.URL.Query().Get(restapi.QueryMetadataMode); mode {
	case "", "replace":
	case restapi.MetadataMerge:
		merge = !full
		if full {
			return invalidf(restapi.QueryMetadataMode, "metadata=merge is for PATCH; PUT replaces the metadata")
		}
	default:
		return invalidf(restapi.QueryMetadataMode, "metadata must be merge or replace")
	}
	body, aerr := readBody(r, w, s.limits.MaxBodyBytes)
	if aerr != nil {
		return aerr
	}
	req, err := DecodeUpdate(body, full)
	if err != nil {
		return err
	}
	defer s.lockWrites(dev)()
	name, err := s.nameOf(r.Context(), dev, r.PathValue("id"))
	if err != nil {
		return err
	}
	p := secrets.UpdateParams{Value: req.Value, Description: req.Description, Metadata: req.Metadata, MergeMetadata: merge}
	if req.Name != nil && *req.Name != name {
		p.NewName = req.Name
	}
	sec, err := s.store.Update(r.Context(), dev, name, p)
	if err != nil {
		var v string
		if req.Value != nil {
			v = *req.Value
		}
		s.fail(w, r, v, err)
		return nil
	}
	writeJSON(w, http.StatusOK, out(sec))
	return nil
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request, dev string) error {
	ctx := r.Context()
	seg := r.PathValue("id")
	defer s.lockWrites(dev)()
	var id, name string
	sec, err := s.lookup(ctx, dev, seg)
	switch {
	case err == nil:
		id, name = sec.ID, sec.Name
	case secrets.ValidateName(seg) == nil && errors.Is(err, secrets.ErrEncryption) && !errors.Is(err, secrets.ErrWrongMasterKey):
		// A damaged value must still be deletable by name.
		name = seg
	default:
		return err
	}
	if err := s.store.Delete(ctx, dev, name); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, restapi.DeleteResponse{ID: id, DeletedAt: secrets.Timestamp(s.now())})
	return nil
}

func (s *Server) resolve(w http.ResponseWriter, r *http.Request, dev string) error {
	body, aerr := readBody(r, w, s.limits.MaxBodyBytes)
	if aerr != nil {
		return aerr
	}
	names, err := DecodeResolve(body)
	if err != nil {
		return err
	}
	res := restapi.ResolveResponse{Values: make(map[string]string, len(names)), Missing: []string{}}
	for _, n := range names {
		if _, dup := res.Values[n]; dup {
			continue
		}
		sec, err := s.store.Get(r.Context(), dev, n)
		switch {
		case errors.Is(err, secrets.ErrNotFound):
			res.Missing = append(res.Missing, n)
		case err != nil:
			return err
		default:
			res.Values[n] = sec.Value
		}
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}
