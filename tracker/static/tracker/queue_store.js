// The offline queue's storage: plain IndexedDB, one record per entry, keyed by the form's
// request key (so keeping an entry again replaces it, and the server saves it once). Each
// entry names its account; a page sees and sends only its own account's entries.
window.OfflineQueue = (() => {
  const DB = "rehab-offline";
  const STORE = "queue";

  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function run(mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => {
        db.close();
        resolve(request.result);
      };
      tx.onerror = () => {
        db.close();
        reject(tx.error);
      };
    });
  }

  // Danger-sign reports first, then in the order they were kept.
  const order = (a, b) => Number(b.danger) - Number(a.danger) || a.keptAt.localeCompare(b.keptAt);

  return {
    put: (entry) => run("readwrite", (store) => store.put(entry)),
    get: (id) => run("readonly", (store) => store.get(id)),
    remove: (id) => run("readwrite", (store) => store.delete(id)),
    async all(account) {
      const entries = await run("readonly", (store) => store.getAll());
      return entries.filter((entry) => entry.account === account).sort(order);
    },
    clear() {
      return new Promise((resolve) => {
        const request = indexedDB.deleteDatabase(DB);
        request.onsuccess = request.onerror = request.onblocked = () => resolve();
      });
    },
  };
})();
