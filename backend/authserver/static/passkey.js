// "Use a passkey" (the code step) and "Sign in with a passkey" (the login page, also offered in the
// email field's autofill): the browser's own WebAuthn API, no library, since Chromium, Firefox and
// Safari read and write the JSON forms of the options and of the answer themselves. The form carries
// the options the server made for the page (or, on the login page, where to ask for them); the answer
// is posted back in the form (CSRF token included) and the server checks everything.
function showPasskeyError(form, message) {
  const alert = form.querySelector("[data-passkey-error]");
  alert.textContent = message;
  alert.hidden = false;
}

// What else the user can do, where the form says (the password change, where the passkey is the
// only second factor); elsewhere the password and code.
function passkeyMessage(form, error) {
  const fallback = form.dataset.passkeyFallback;
  if (error && error.name === "NotAllowedError") {
    return fallback
      ? `The passkey prompt was closed or timed out. Try again. ${fallback}`
      : "The passkey prompt was closed or timed out. Try again, or use your password and code.";
  }
  return fallback
    ? `This browser could not use a passkey here. ${fallback}`
    : "This browser could not use a passkey here. Use your password and code instead.";
}

function canUsePasskeys() {
  return (
    window.PublicKeyCredential !== undefined &&
    typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function"
  );
}

async function askForOptions(form) {
  const response = await fetch(form.dataset.passkeyOptionsUrl, {
    method: "POST",
    headers: { "X-CSRFToken": form.elements.csrf_token.value },
    credentials: "same-origin",
  });
  if (!response.ok) throw new Error(`passkey options: ${response.status}`);
  const { challengeId, publicKey } = await response.json();
  form.elements.challenge_id.value = challengeId;
  return publicKey;
}

// One challenge per page: the autofill's request and the button's share it (only one is answered).
const optionsOf = new Map();

function passkeyOptions(form) {
  const given = form.dataset.passkeyOptions;
  if (given) return Promise.resolve(JSON.parse(given));
  if (!optionsOf.has(form)) {
    const asked = askForOptions(form).catch((error) => {
      optionsOf.delete(form); // the next try asks again
      throw error;
    });
    optionsOf.set(form, asked);
  }
  return optionsOf.get(form);
}

// At the code step the "Don't ask again on this browser" box is in the code's form: its state goes
// along with the passkey's answer.
function copyTrustBox(form) {
  const carried = form.querySelector("[data-trust-browser]");
  const box = document.querySelector('input[type="checkbox"][name="trust_browser"]');
  if (carried && box) carried.value = box.checked ? "y" : "";
}

async function answerWithPasskey(form, request) {
  const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(await passkeyOptions(form));
  const credential = await navigator.credentials.get({ publicKey, ...request });
  form.elements.credential.value = JSON.stringify(credential.toJSON());
  copyTrustBox(form);
  form.submit();
}

// Passkeys in the email field's autofill (conditional mediation): a request that waits for the user
// to pick one there; the button cancels it before asking with the browser's own dialog.
async function offerInAutofill(form) {
  if (!(await PublicKeyCredential.isConditionalMediationAvailable?.())) return null;
  const waiting = new AbortController();
  // Silent when it fails (the site on an IP address, say): it is an offer; the button says why.
  answerWithPasskey(form, {
    mediation: "conditional",
    signal: waiting.signal,
  }).catch(() => undefined);
  return waiting;
}

// "Add a passkey" (the enrol page): the browser creates one for the options the page carries.
async function createPasskey(form) {
  const options = JSON.parse(form.dataset.passkeyCreateOptions);
  const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(options);
  const credential = await navigator.credentials.create({ publicKey });
  form.elements.credential.value = JSON.stringify(credential.toJSON());
  form.submit();
}

for (const form of document.querySelectorAll("form[data-passkey-create-options]")) {
  const button = form.querySelector("[data-passkey-button]");
  if (typeof PublicKeyCredential?.parseCreationOptionsFromJSON !== "function") {
    button.hidden = true;
    showPasskeyError(form, "This browser cannot create a passkey here. Choose another method above.");
    continue;
  }
  button.addEventListener("click", () => {
    button.disabled = true;
    createPasskey(form).catch((error) => {
      button.disabled = false;
      showPasskeyError(
        form,
        error && error.name === "NotAllowedError"
          ? "The passkey prompt was closed or timed out. Try again, or choose another method above."
          : "This browser could not create a passkey here. Choose another method above.",
      );
    });
  });
}

for (const form of document.querySelectorAll(
  "form[data-passkey-options]:not([data-passkey-on-submit]), form[data-passkey-options-url]",
)) {
  const button = form.querySelector("[data-passkey-button]");
  if (!canUsePasskeys()) {
    button.hidden = true;
    continue;
  }
  const autofill = "passkeyAutofill" in form.dataset ? offerInAutofill(form) : Promise.resolve(null);
  button.addEventListener("click", async () => {
    button.disabled = true;
    (await autofill)?.abort();
    answerWithPasskey(form, { mediation: "optional" }).catch((error) => {
      button.disabled = false;
      showPasskeyError(form, passkeyMessage(form, error));
    });
  });
}

// The password change, where the passkey is the only second factor: sending the form (its button or
// Enter in a field) asks for the passkey first, then posts the form with the answer.
for (const form of document.querySelectorAll("form[data-passkey-on-submit]")) {
  if (!canUsePasskeys()) {
    showPasskeyError(form, passkeyMessage(form, null));
    continue;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    answerWithPasskey(form, { mediation: "optional" }).catch((error) => {
      button.disabled = false;
      showPasskeyError(form, passkeyMessage(form, error));
    });
  });
}
