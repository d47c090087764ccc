// A shared item's page: its title and content are encrypted in the form's data-sealed
// (see elenefolio/util/sharing.py). The passphrase derives a key (PBKDF2-SHA256) for each
// audience's copy of the content key; the one it opens (AES-GCM) decrypts the page, which
// replaces the form. Nothing is sent anywhere: it all happens in this page.
const form = document.querySelector(".shared-form");
const status = document.getElementById("shared-status");
const sealed = JSON.parse(form.dataset.sealed);
const bytes = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function unwrap(passphrase, slot) {
  const material = await crypto.subtle.importKey(
    "raw", new TextEncoder().encode(passphrase), "PBKDF2", false, ["deriveKey"]);
  const kek = await crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt: bytes(slot.salt), iterations: sealed.iterations },
    material, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
  const raw = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes(slot.nonce) }, kek, bytes(slot.key));
  return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["decrypt"]);
}

async function open(passphrase) {
  for (const slot of sealed.keys) {
    let key;
    try {
      key = await unwrap(passphrase, slot);
    } catch (error) {
      continue; // not this audience's passphrase
    }
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: bytes(sealed.nonce) }, key, bytes(sealed.data));
    return JSON.parse(new TextDecoder().decode(plain));
  }
  return null;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = form.querySelector("button");
  button.disabled = true;
  status.textContent = "";
  try {
    if (!window.crypto || !crypto.subtle) throw new Error("no WebCrypto");
    const page = await open(form.elements.passphrase.value);
    if (page === null) {
      status.textContent = form.dataset.wrong;
      form.elements.passphrase.select();
      return;
    }
    const main = document.getElementById("main");
    main.innerHTML = page.main;
    if (page.title) document.title = page.title;
    main.focus();
  } catch (error) {
    status.textContent = form.dataset.failed;
  } finally {
    button.disabled = false;
  }
});
