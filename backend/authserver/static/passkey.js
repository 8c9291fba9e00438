// "Use a passkey" / "Sign in with a passkey": the browser's own WebAuthn API (no library: Chromium,
// Firefox and Safari read and write the JSON forms of the options and the answer themselves). The
// form carries the options the server made for this page; the answer goes back in the form, so the
// server checks it like any other post (CSRF token included).
function passkeyForms() {
  return document.querySelectorAll("form[data-passkey-options]");
}

function showPasskeyError(form, message) {
  const alert = form.querySelector("[data-passkey-error]");
  alert.textContent = message;
  alert.hidden = false;
}

function passkeyMessage(error) {
  if (error && error.name === "NotAllowedError") {
    return "The passkey prompt was closed or timed out. Try again, or enter a code.";
  }
  return "This browser could not use a passkey here. Enter a code instead.";
}

function canUsePasskeys() {
  return (
    window.PublicKeyCredential !== undefined &&
    typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function"
  );
}

async function answerWithPasskey(form, mediation) {
  const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(JSON.parse(form.dataset.passkeyOptions));
  const credential = await navigator.credentials.get({ publicKey, mediation });
  form.elements.credential.value = JSON.stringify(credential.toJSON());
  form.submit();
}

for (const form of passkeyForms()) {
  const button = form.querySelector("[data-passkey-button]");
  if (!canUsePasskeys()) {
    button.hidden = true;
    continue;
  }
  button.addEventListener("click", () => {
    button.disabled = true;
    answerWithPasskey(form, "optional").catch((error) => {
      button.disabled = false;
      showPasskeyError(form, passkeyMessage(error));
    });
  });
}
