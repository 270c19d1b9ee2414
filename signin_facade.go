package main

import (
	"context"
	"errors"

	"leadminer/backend/accounts"
	"leadminer/backend/oauth"
)

// The sign-in part of the facade: Google and Microsoft in the browser.

// SignIn signs in with "google" or "microsoft" in the system browser (email
// preselects the account; "" lets the user choose) and returns the new
// account, its folders ready to list. It returns when the browser comes
// back, the user cancels (CancelSignIn) or five minutes pass.
func (a *App) SignIn(provider, email string) (Account, error) {
	if err := a.ready(); err != nil {
		return Account{}, err
	}
	ctx, done := a.startSignIn()
	defer done()
	acc, err := a.accounts.SignIn(ctx, provider, email)
	if err != nil {
		return Account{}, signInError(err)
	}
	return a.accountStatus(acc), nil
}

// ReconnectAccount signs an OAuth account in again.
func (a *App) ReconnectAccount(id int64) (Account, error) {
	if err := a.ready(); err != nil {
		return Account{}, err
	}
	ctx, done := a.startSignIn()
	defer done()
	acc, err := a.accounts.Reconnect(ctx, id)
	if err != nil {
		return Account{}, signInError(err)
	}
	return a.accountStatus(acc), nil
}

// CancelSignIn stops waiting for the browser.
func (a *App) CancelSignIn() {
	a.mu.Lock()
	cancel := a.signInCancel
	a.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// startSignIn makes the sign-in cancellable; one at a time.
func (a *App) startSignIn() (context.Context, func()) {
	ctx, cancel := context.WithCancel(a.ctx)
	a.mu.Lock()
	if a.signInCancel != nil {
		a.signInCancel() // a new click replaces a sign-in left open
	}
	a.signInCancel = cancel
	a.mu.Unlock()
	return ctx, func() {
		cancel()
		a.mu.Lock()
		a.signInCancel = nil
		a.mu.Unlock()
	}
}

func signInError(err error) error {
	switch {
	case errors.Is(err, context.Canceled):
		return errors.New("Sign-in cancelled.")
	case errors.Is(err, oauth.ErrDenied):
		return errors.New("You did not allow LeadMiner to read your mail, so nothing was added.")
	case errors.Is(err, oauth.ErrNoClientID):
		return userError("This copy of LeadMiner has no sign-in set up for this provider", err)
	}
	return userError("The sign-in did not complete", err)
}

// SignInProviders lists Google and Microsoft with whether a client id is set.
func (a *App) SignInProviders() ([]accounts.SignInProvider, error) {
	if err := a.ready(); err != nil {
		return nil, err
	}
	list, err := a.accounts.SignInProviders(a.ctx)
	if err != nil {
		return nil, userError("Could not read the sign-in settings", err)
	}
	return list, nil
}

// SetOAuthClient saves your own OAuth app's client id (and, for Google, its
// secret) for a provider.
func (a *App) SetOAuthClient(provider, clientID, clientSecret string) error {
	if err := a.ready(); err != nil {
		return err
	}
	if err := a.accounts.SetOAuthClient(a.ctx, provider, clientID, clientSecret); err != nil {
		return userError("Could not save the client id", err)
	}
	return nil
}
