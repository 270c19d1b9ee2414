package main

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// A copy built without client ids can still sign in once the user gives
// their own app's id; the providers say which are set up.
func TestOwnOAuthClientSetsUpTheSignIn(t *testing.T) {
	for _, env := range []string{"LEADMINER_OAUTH_GOOGLE_CLIENT_ID", "LEADMINER_OAUTH_MICROSOFT_CLIENT_ID"} {
		t.Setenv(env, "")
		os.Unsetenv(env)
	}
	f := newFacade(t)
	list, err := f.SignInProviders()
	if err != nil || len(list) != 2 || list[0].ID != "google" || list[1].ID != "microsoft" {
		t.Fatalf("providers %+v, %v; want google then microsoft", list, err)
	}
	for _, p := range list {
		if p.Configured {
			t.Errorf("%s is set up in a build without client ids", p.ID)
		}
	}
	if _, err := f.SignIn("google", ""); err == nil || !strings.Contains(err.Error(), "no sign-in set up") {
		t.Errorf("sign-in without a client id: %v", err)
	}
	if subs, _ := f.Subprocessors(); slices.ContainsFunc(subs, func(s SubprocessorState) bool { return s.ID == "google-oauth" && s.Enabled }) {
		t.Error("a sign-in that could not start switched Google account access on")
	}
	if err := f.SetOAuthClient("google", "  ", ""); err == nil {
		t.Error("an empty client id was saved")
	}
	if err := f.SetOAuthClient("yahoo", "x", ""); err == nil {
		t.Error("a client id for an unknown provider was saved")
	}
	if err := f.SetOAuthClient("google", " 123-abc.apps.googleusercontent.com ", "GOCSPX-secret"); err != nil {
		t.Fatal(err)
	}
	list, _ = f.SignInProviders()
	if !list[0].Configured || list[1].Configured {
		t.Errorf("after setting Google's client: %+v", list)
	}
	if id, _ := f.store.Setting(f.ctx, "oauth:google:client_id"); id != "123-abc.apps.googleusercontent.com" {
		t.Errorf("saved client id %q", id)
	}
}
