// The login cookie (ui/auth.py): a Custom Components v2 module run in the app page.
export default function(component) {
  const data = component.data;
  if (!data || !data.name) return;
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  document.cookie = data.name + "=" + data.value + "; Max-Age=" + data.max_age +
    "; Path=" + data.path + "; SameSite=Strict" + secure;
}
