"""The settings model in the office's words, for the settings dialog: each key's label,
unit and help in the chosen language, the groups the keys are shown in, and refusals
worded in that language, naming fields by their label.

The config file, its comments and the README keep the English keys and the English help
of :mod:`kiosk.config.model`; this module is only what a person reads in the dialog.
Every text is Bahasa Indonesia through :func:`kiosk.i18n.tr`, English in the catalogue
(a test keeps the English help equal to the model's help, and every key labelled).
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any

from kiosk.config.checks import ConfigError, Expected, KeyRef
from kiosk.config.loading import toml_value
from kiosk.i18n import tr

L = "SettingsLabel"
H = "SettingsHelp"
U = "SettingsUnit"
G = "SettingsGroup"
E = "SettingsCheck"
C = "Settings"

HIDDEN = frozenset({"security.supervisor_pin_hash"})  # changed with its own PIN action, never shown


@dataclass(frozen=True)
class Words:
    label: str
    help: str
    unit: str = ""  # shown beside the field, e.g. "menit"


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    keys: tuple[str, ...]


# The groups people look for, in order; within each, related keys together.
GROUP_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("office", ("office.code", "office.name", "office.timezone", "office.other_offices")),
    ("queue", ("queue.services", "queue.booking_service", "queue.priority_service", "queue.counters")),
    ("arrival", ("arrival.opens_before", "arrival.must_arrive_before")),
    ("priority", ("priority.categories", "priority.lansia_min_age", "priority.anak_under_age",
                  "priority.daily_quota")),
    ("booking", ("intake.service_days", "intake.holidays", "intake.first_slot", "intake.last_slot",
                 "intake.slot_minutes", "intake.slot_capacity", "intake.daily_quota", "intake.horizon_min_days",
                 "intake.horizon_max_days", "intake.registration_hours", "intake.message_format")),
    ("whatsapp", ("intake.sender", "intake.phone_number_id", "intake.cloud_api_url", "intake.secrets_file",
                  "intake.notify_ahead", "intake.notify_template", "intake.notify_language",
                  "intake.retry_max_age_minutes", "intake.webhook_host", "intake.webhook_port",
                  "intake.webhook_path", "intake.webhook_header_timeout", "intake.webhook_body_timeout",
                  "intake.webhook_max_connections")),
    ("printer", ("printer.transport", "printer.profile", "printer.paper_mm", "printer.native_qr", "printer.timeout",
                 "printer.station", "printer.host", "printer.port", "printer.usb_vendor_id",
                 "printer.usb_product_id", "printer.serial_port", "printer.baudrate", "printer.queue",
                 "printer.device", "printer.preview_dir")),
    ("camera", ("camera.source", "camera.width", "camera.height", "camera.fps", "camera.preview_fps",
                "scanner.decoders", "scanner.dedupe_seconds", "scanner.wedge_terminator", "scanner.wedge_gap_ms",
                "scanner.wedge_min_length", "scanner.wedge_prefix", "scanner.wedge_suffix", "scanner.serial_port",
                "scanner.serial_baud")),
    ("desk", ("desk.language", "desk.sounds", "desk.verdict_seconds", "desk.self_service", "desk.idle_seconds")),
    ("display", ("display.running_text", "display.logo", "display.recent_calls", "display.highlight_seconds",
                 "display.poll_interval", "announcer.enabled", "announcer.volume", "announcer.repeat",
                 "announcer.voice_dir", "announcer.max_age")),
    ("web", ("web.host", "web.port", "web.public_url")),
    ("privacy", ("privacy.retention_days",)),
    ("system", ("database.url", "paths.data_dir", "security.keys_file", "clock.allow_override")),
)


def groups() -> list[Group]:
    """The dialog's pages, titled in the chosen language."""
    titles = {
        "office": tr(G, "Kantor"),
        "queue": tr(G, "Antrean"),
        "arrival": tr(G, "Jadwal kedatangan"),
        "priority": tr(G, "Prioritas"),
        "booking": tr(G, "Booking dan slot"),
        "whatsapp": tr(G, "WhatsApp"),
        "printer": tr(G, "Printer"),
        "camera": tr(G, "Kamera dan pemindai"),
        "desk": tr(G, "Meja depan"),
        "display": tr(G, "Layar tunggu dan suara"),
        "web": tr(G, "Web"),
        "privacy": tr(G, "Privasi"),
        "system": tr(G, "Sistem"),
    }
    return [Group(gid, titles[gid], keys) for gid, keys in GROUP_KEYS]


def group_of(key: str) -> str | None:
    return next((gid for gid, keys in GROUP_KEYS if key in keys), None)


def label(key: str) -> str:
    """A key as the dialog names it; the key itself for one without words."""
    found = key_words().get(key)
    return found.label if found is not None else key


def key_words() -> dict[str, Words]:
    """Every shown key's label, help and unit, in the chosen language."""
    minutes, seconds, days, years = tr(U, "menit"), tr(U, "detik"), tr(U, "hari"), tr(U, "tahun")
    pixels, fps, ms, baud = tr(U, "piksel"), tr(U, "fps"), tr(U, "ms"), tr(U, "baud")
    return {
        # Kantor
        "office.code": Words(tr(L, "Kode kantor"), tr(
            H, "Kode kantor, 2-5 huruf besar atau angka; bagian dari setiap kode booking.")),
        "office.name": Words(tr(L, "Nama kantor"), tr(H, "Nama kantor yang tercetak di tiket dan tampil di layar "
                                                      "tunggu.")),
        "office.timezone": Words(tr(L, "Zona waktu"), tr(
            H, "Zona waktu IANA kantor (WIB Asia/Jakarta, WITA Asia/Makassar, WIT Asia/Jayapura).")),
        "office.other_offices": Words(tr(L, "Kantor lain"), tr(
            H, "Nama kantor lain menurut kodenya, mis. { BDG = \"Kantor Imigrasi Bandung\" }: kode booking "
               "kantor lain lalu disebut dengan namanya.")),
        # Antrean
        "queue.booking_service": Words(tr(L, "Huruf layanan booking"), tr(
            H, "Huruf layanan untuk pemohon yang booking (online); diurutkan menurut slot, lalu nomor.")),
        "queue.priority_service": Words(tr(L, "Huruf layanan prioritas"), tr(
            H, "Huruf layanan untuk pemohon prioritas yang datang langsung; yang datang dahulu dilayani dahulu.")),
        "queue.services": Words(tr(L, "Layanan"), tr(H, "Nama setiap layanan menurut hurufnya.")),
        "queue.counters": Words(tr(L, "Loket"), tr(
            H, "Loket menurut nomornya, masing-masing dengan layanan yang dilayaninya, pilihan pertama lebih "
               "dahulu.")),
        # Jadwal kedatangan
        "arrival.opens_before": Words(tr(L, "Pindai dibuka sebelum slot"), tr(
            H, "Berapa menit sebelum slot kode booking mulai diterima."), minutes),
        "arrival.must_arrive_before": Words(tr(L, "Batas datang sebelum slot"), tr(
            H, "Berapa menit sebelum slot pemohon paling lambat dipindai; lewat dari itu kodenya hangus."), minutes),
        # Prioritas
        "priority.categories": Words(tr(L, "Kategori prioritas"), tr(
            H, "Kategori prioritas yang ditawarkan di meja depan untuk pemohon yang datang langsung.")),
        "priority.lansia_min_age": Words(tr(L, "Usia minimum lansia"), tr(
            H, "Usia minimum dalam tahun untuk kategori lansia."), years),
        "priority.anak_under_age": Words(tr(L, "Kategori anak: usia di bawah"), tr(
            H, "Kategori anak (anak kecil) untuk anak yang lebih muda dari usia ini."), years),
        "priority.daily_quota": Words(tr(L, "Kuota prioritas per hari"), tr(
            H, "Tiket prioritas untuk pemohon yang datang langsung per hari."), tr(U, "tiket")),
        # Booking dan slot
        "intake.service_days": Words(tr(L, "Hari layanan"), tr(
            H, "Hari dalam seminggu yang ada layanan (mon, tue, wed, thu, fri, sat, sun).")),
        "intake.holidays": Words(tr(L, "Tanggal tutup"), tr(
            H, "Tanggal tutup (YYYY-MM-DD): tidak ada booking untuk tanggal itu.")),
        "intake.first_slot": Words(tr(L, "Slot pertama"), tr(H, "Jam slot pertama dalam sehari.")),
        "intake.last_slot": Words(tr(L, "Slot terakhir"), tr(H, "Jam slot terakhir dalam sehari.")),
        "intake.slot_minutes": Words(tr(L, "Jarak antar slot"), tr(H, "Menit antara dua slot."), minutes),
        "intake.slot_capacity": Words(tr(L, "Kapasitas slot"), tr(H, "Jumlah booking per slot."),
                                      tr(U, "booking")),
        "intake.daily_quota": Words(tr(L, "Kuota booking per hari"), tr(H, "Jumlah booking per hari layanan."),
                                    tr(U, "booking")),
        "intake.horizon_min_days": Words(tr(L, "Booking paling cepat"), tr(
            H, "Tanggal paling awal yang bisa dibooking, dalam hari setelah hari ini (0 = hari ini)."), days),
        "intake.horizon_max_days": Words(tr(L, "Booking paling jauh"), tr(
            H, "Tanggal paling akhir yang bisa dibooking, dalam hari setelah hari ini."), days),
        "intake.registration_hours": Words(tr(L, "Jam pendaftaran"), tr(
            H, "Jam pesan booking diterima, mis. \"07:30-10:00\" (waktu kantor). Kosong: kapan saja.")),
        "intake.message_format": Words(tr(L, "Format pesan booking"), tr(
            H, "Format booking WhatsApp: date = #NAMA#DDMMYYYY#DDMMYYYY (pemohon meminta tanggal); address = "
               "#NAMA#DDMMYYYY#ALAMAT ditambah foto e-KTP (kantor yang menentukan tanggal, seperti di Batam).")),
        # WhatsApp
        "intake.sender": Words(tr(L, "Pengiriman balasan"), tr(
            H, "Ke mana balasan pergi: outbox = hanya tabel outbox dan log; TIDAK ADA yang dikirim dan tidak ada "
               "pemohon yang mendapat jawaban (untuk uji coba); cloud_api = WhatsApp Cloud API.")),
        "intake.phone_number_id": Words(tr(L, "ID nomor telepon (Cloud API)"), tr(
            H, "ID nomor telepon Cloud API untuk nomor WhatsApp kantor.")),
        "intake.cloud_api_url": Words(tr(L, "URL Cloud API"), tr(H, "URL dasar WhatsApp Cloud API.")),
        "intake.secrets_file": Words(tr(L, "Berkas rahasia WhatsApp"), tr(
            H, "Berkas JSON (hanya pemilik) berisi app_secret, verify_token dan access_token WhatsApp. Kosong: "
               "whatsapp.json di folder data.")),
        "intake.notify_ahead": Words(tr(L, "Kabari bila orang di depan tinggal"), tr(
            H, "Tiket dari booking WhatsApp mendapat satu pesan \"Giliran Anda hampir tiba\" saat tinggal sekian "
               "orang di depannya (0 = mati)."), tr(U, "orang")),
        "intake.notify_template": Words(tr(L, "Template pesan pemberitahuan"), tr(
            H, "Nama template pesan WhatsApp yang disetujui untuk pesan itu (di luar jendela 24 jam hanya template "
               "yang boleh dikirim); isinya memuat nomor tiket dan jumlah orang di depan, tidak pernah nama.")),
        "intake.notify_language": Words(tr(L, "Bahasa template"), tr(
            H, "Kode bahasa template itu sesuai persetujuannya, mis. id atau en_US.")),
        "intake.retry_max_age_minutes": Words(tr(L, "Berhenti mencoba balasan setelah"), tr(
            H, "`wa-server` mencoba ulang balasan yang belum terkirim (menunggu atau gagal) dengan jeda yang makin "
               "panjang; setelah sekian menit balasan dilepas (tercatat di audit)."), minutes),
        "intake.webhook_host": Words(tr(L, "Alamat webhook"), tr(
            H, "Alamat yang didengarkan `wa-server` (pasang reverse proxy TLS di depannya sebelum membukanya ke "
               "internet).")),
        "intake.webhook_port": Words(tr(L, "Port webhook"), tr(H, "Port yang didengarkan `wa-server`.")),
        "intake.webhook_path": Words(tr(L, "Path webhook"), tr(H, "Path URL webhook WhatsApp.")),
        "intake.webhook_header_timeout": Words(tr(L, "Batas waktu header"), tr(
            H, "Berapa detik sebuah koneksi boleh mengirim header permintaannya (dan boleh diam di antara "
               "permintaan) sebelum diputus."), seconds),
        "intake.webhook_body_timeout": Words(tr(L, "Batas waktu isi permintaan"), tr(
            H, "Berapa detik sebuah POST boleh mengirim isinya sebelum dijawab 408 dan diputus."), seconds),
        "intake.webhook_max_connections": Words(tr(L, "Koneksi terbuka paling banyak"), tr(
            H, "Koneksi terbuka yang dipertahankan `wa-server`; pada batas ini koneksi tertua diputus untuk yang "
               "baru (yang macet adalah yang tertua). Diturunkan agar muat dalam batas berkas proses."),
            tr(U, "koneksi")),
        # Printer (keys of one transport say which in their label)
        "printer.transport": Words(tr(L, "Sambungan printer"), tr(
            H, "Cara tiket sampai ke printer: preview (berkas PNG, tanpa printer), network, usb, serial, cups, "
               "win32raw atau file.")),
        "printer.profile": Words(tr(L, "Profil printer"), tr(
            H, "Profil printer python-escpos: lebar kertas, QR bawaan, pemotong (mis. TM-T20II, TM-T88V, POS-5890, "
               "ZJ-5870).")),
        "printer.paper_mm": Words(tr(L, "Lebar kertas"), tr(
            H, "Lebar kertas dalam mm: 58 (384 titik) atau 80 (576 titik); 0 mengambilnya dari profil."), tr(U, "mm")),
        "printer.native_qr": Words(tr(L, "QR dengan perintah printer"), tr(
            H, "Cetak kode QR dengan perintah QR milik printer (GS ( k): auto (sesuai profil), yes atau no "
               "(dikirim sebagai gambar).")),
        "printer.timeout": Words(tr(L, "Batas waktu printer"), tr(
            H, "Berapa detik menunggu printer tersambung atau menerima data."), seconds),
        "printer.station": Words(tr(L, "Nama meja (beberapa PC)"), tr(
            H, "Beberapa PC meja depan pada satu basis data: nama meja ini (mis. desk1); tiket yang dibuat di sini "
               "dicetak di printer meja ini. Kosong: printer ini mencetak semua tiket.")),
        "printer.host": Words(tr(L, "Alamat printer (network)"), tr(
            H, "network: alamat IP atau nama host printer.")),
        "printer.port": Words(tr(L, "Port TCP (network)"), tr(
            H, "network: port TCP printer (cetak raw memakai 9100).")),
        "printer.usb_vendor_id": Words(tr(L, "ID vendor (usb)"), tr(
            H, "usb: ID vendor, mis. 0x04b8 untuk Epson (lihat `lsusb`).")),
        "printer.usb_product_id": Words(tr(L, "ID produk (usb)"), tr(
            H, "usb: ID produk, mis. 0x0e15 untuk TM-T20II.")),
        "printer.serial_port": Words(tr(L, "Port serial (serial)"), tr(
            H, "serial: port-nya, mis. /dev/ttyUSB0 atau COM3.")),
        "printer.baudrate": Words(tr(L, "Kecepatan serial (serial)"), tr(
            H, "serial: kecepatan dalam baud, sesuai pengaturan printer (9600-115200)."), baud),
        "printer.queue": Words(tr(L, "Antrean cetak (cups / win32raw)"), tr(
            H, "cups / win32raw: nama antrean cetak printer (kosong: printer bawaan sistem).")),
        "printer.device": Words(tr(L, "Perangkat atau berkas (file)"), tr(
            H, "file: perangkat atau berkas tujuan, mis. /dev/usb/lp0.")),
        "printer.preview_dir": Words(tr(L, "Folder pratinjau (preview)"), tr(
            H, "preview: folder untuk tiket PNG. Kosong: 'previews' di folder data.")),
        # Kamera dan pemindai
        "camera.source": Words(tr(L, "Sumber kamera"), tr(
            H, "Kamera di meja depan: nomor perangkat (0 = webcam pertama), URL kamera IP (rtsp://...), atau berkas "
               "video atau folder gambar (demo). Kosong: tanpa kamera.")),
        "camera.width": Words(tr(L, "Lebar gambar kamera"), tr(H, "Lebar gambar yang diminta dari kamera (MJPG)."),
                              pixels),
        "camera.height": Words(tr(L, "Tinggi gambar kamera"), tr(H, "Tinggi gambar yang diminta dari kamera."),
                               pixels),
        "camera.fps": Words(tr(L, "Kecepatan gambar kamera"), tr(
            H, "Gambar per detik yang diminta dari kamera; berkas dan folder diputar dengan kecepatan ini."), fps),
        "camera.preview_fps": Words(tr(L, "Kecepatan pratinjau"), tr(
            H, "Paling banyak gambar pratinjau per detik di layar meja depan."), fps),
        "scanner.decoders": Words(tr(L, "Pembaca kode batang"), tr(
            H, "Pembaca kode batang, yang pertama dicoba lebih dahulu (zxing-cpp, pyzbar).")),
        "scanner.dedupe_seconds": Words(tr(L, "Abaikan kode yang sama selama"), tr(
            H, "Kode yang terlihat lagi dalam sekian detik tidak dilaporkan lagi."), seconds),
        "scanner.wedge_terminator": Words(tr(L, "Tombol akhir (pemindai USB)"), tr(
            H, "Pemindai keyboard USB: tombol yang dikirim pemindai setelah kode (enter, tab, crlf, atau none).")),
        "scanner.wedge_gap_ms": Words(tr(L, "Jeda antar tombol (pemindai USB)"), tr(
            H, "Pemindai keyboard USB: paling lama milidetik antara dua tombol dalam satu pindaian; tombol yang "
               "lebih lambat dianggap ketikan."), ms),
        "scanner.wedge_min_length": Words(tr(L, "Panjang pindaian minimum (pemindai USB)"), tr(
            H, "Pemindai keyboard USB: paling sedikit karakter dalam satu pindaian."), tr(U, "karakter")),
        "scanner.wedge_prefix": Words(tr(L, "Awalan (pemindai USB)"), tr(
            H, "Pemindai keyboard USB: karakter yang diketik pemindai sebelum setiap kode (dibuang). Kosong: "
               "tidak ada.")),
        "scanner.wedge_suffix": Words(tr(L, "Akhiran (pemindai USB)"), tr(
            H, "Pemindai keyboard USB: karakter yang diketik pemindai setelah setiap kode, sebelum tombol akhirnya "
               "(dibuang; dengan tombol akhir none karakter ini langsung mengakhiri pindaian). Kosong: tidak ada.")),
        "scanner.serial_port": Words(tr(L, "Port pemindai serial"), tr(
            H, "Port pemindai serial (COM), mis. COM3 atau /dev/ttyACM0. Kosong: tidak ada.")),
        "scanner.serial_baud": Words(tr(L, "Kecepatan pemindai serial"), tr(H, "Kecepatan pemindai serial."), baud),
        # Meja depan
        "desk.language": Words(tr(L, "Bahasa meja depan"), tr(
            H, "Bahasa jendela meja depan: id (Bahasa Indonesia) atau en (English).")),
        "desk.sounds": Words(tr(L, "Bunyi hasil pindai"), tr(H, "Putar bunyi untuk setiap hasil pindai.")),
        "desk.verdict_seconds": Words(tr(L, "Lama hasil pindai tampil"), tr(
            H, "Berapa detik hasil pindai tetap di layar sebelum meja depan menunjukkan siap untuk kode berikutnya."),
            seconds),
        "desk.self_service": Words(tr(L, "Mode layanan mandiri"), tr(
            H, "Jalankan meja depan sebagai layar sentuh layanan mandiri: layar penuh, hanya alur prioritas yang "
               "datang langsung, huruf besar dan keypad di layar.")),
        "desk.idle_seconds": Words(tr(L, "Kembali ke awal bila tak disentuh (mandiri)"), tr(
            H, "Layanan mandiri: detik tanpa sentuhan sebelum layar kembali ke awal."), seconds),
        # Layar tunggu dan suara
        "display.running_text": Words(tr(L, "Teks berjalan"), tr(
            H, "Teks yang berjalan di bagian bawah layar tunggu; kosong bila tidak ada.")),
        "display.logo": Words(tr(L, "Logo kantor"), tr(
            H, "Logo kantor (PNG/SVG) di kepala layar tunggu; kosong bila tidak ada. Path relatif dihitung dari "
               "folder berkas konfigurasi ini.")),
        "display.recent_calls": Words(tr(L, "Panggilan sebelumnya yang tampil"), tr(
            H, "Berapa panggilan sebelumnya yang ditampilkan layar tunggu di samping yang terbaru."),
            tr(U, "panggilan")),
        "display.highlight_seconds": Words(tr(L, "Lama panggilan terbaru disorot"), tr(
            H, "Berapa detik panggilan terbaru tetap disorot."), seconds),
        "display.poll_interval": Words(tr(L, "Selang pemeriksaan panggilan"), tr(
            H, "Detik antara pemeriksaan panggilan baru bila pembaruan langsung tidak tersedia (SQLite, atau "
               "PostgreSQL saat menyambung ulang)."), seconds),
        "announcer.enabled": Words(tr(L, "Bunyikan panggilan"), tr(
            H, "Putar bunyi gong dan suara panggilan di layar tunggu.")),
        "announcer.volume": Words(tr(L, "Volume"), tr(H, "Volume bunyi gong dan suara, 0.0-1.0.")),
        "announcer.repeat": Words(tr(L, "Ucapkan setiap panggilan"), tr(
            H, "Berapa kali setiap panggilan diucapkan."), tr(U, "kali")),
        "announcer.voice_dir": Words(tr(L, "Folder suara"), tr(
            H, "Folder potongan suara (WAV, satu per kata, nama sama seperti resources/sounds/id). Kosong: suara "
               "sintetis bawaan. Path relatif dihitung dari folder berkas konfigurasi ini.")),
        "announcer.max_age": Words(tr(L, "Panggilan lama tidak diucapkan setelah"), tr(
            H, "Panggilan yang sudah lebih lama dari sekian detik saat layar tunggu mengetahuinya (setelah "
               "tersambung ulang) ditampilkan tetapi tidak diucapkan."), seconds),
        # Web
        "web.host": Words(tr(L, "Alamat web"), tr(
            H, "Alamat yang didengarkan `web`; 0.0.0.0 (atau alamat LAN PC ini) membuat TV dan ponsel di jaringan "
               "kantor bisa menjangkaunya.")),
        "web.port": Words(tr(L, "Port web"), tr(H, "Port yang didengarkan `web`.")),
        "web.public_url": Words(tr(L, "Alamat untuk ponsel dan TV"), tr(
            H, "Alamat yang dipakai ponsel pemohon dan TV untuk menjangkau `web`, mis. http://192.168.1.10:8089. "
               "Diisi: QR setiap tiket membuka halaman statusnya di sana. Kosong: tanpa halaman status.")),
        # Privasi
        "privacy.retention_days": Words(tr(L, "Simpan data pribadi selama"), tr(
            H, "Hari setelah hari layanan ketika nama, tanggal lahir, nomor telepon dan foto e-KTP dihapus; jumlah "
               "dan waktu tetap disimpan untuk laporan."), days),
        # Sistem
        "database.url": Words(tr(L, "Alamat basis data"), tr(
            H, "URL basis data. Kosong: berkas SQLite di folder data (satu PC). Beberapa PC: "
               "postgresql+psycopg://user:password@host/antrean.")),
        "paths.data_dir": Words(tr(L, "Folder data"), tr(
            H, "Folder untuk basis data, kunci dan pratinjau cetak. Kosong: folder data pengguna. Path relatif "
               "dihitung dari folder berkas konfigurasi ini.")),
        "security.keys_file": Words(tr(L, "Berkas kunci"), tr(
            H, "Berkas kunci kode booking kantor (hanya pemilik). Kosong: keys.json di folder data. Pada beberapa "
               "PC, setiap meja perlu berkas yang sama. Hanya dibuat oleh `init` dan `keys rotate`; berkas ini juga "
               "menyimpan pepper PIN supervisor.")),
        "clock.allow_override": Words(tr(L, "Izinkan jam diatur (ANTREAN_NOW)"), tr(
            H, "Izinkan ANTREAN_NOW mengatur jam (hanya untuk pelatihan dan simulasi; ditolak bila tidak "
               "dicentang).")),
    }


# --- refusals -----------------------------------------------------------------------


def expectation(expected: Expected, *, by_key: bool = False) -> str:
    """What a value should be, in the chosen language; other keys named by label (or,
    ``by_key``, by their TOML key, as the command line names them)."""
    a = {k: _shown_arg(v, by_key) for k, v in expected.args.items()}
    texts = {
        "office_code": lambda: tr(E, "harus 2-5 huruf besar atau angka, mis. JKP"),
        "non_empty": lambda: tr(E, "harus diisi"),
        "timezone": lambda: tr(E, "harus zona waktu IANA seperti Asia/Jakarta, Asia/Makassar atau Asia/Jayapura"),
        "minutes": lambda: tr(E, "harus bilangan bulat dari {low} sampai {high} menit", **a),
        "int_range": lambda: tr(E, "harus bilangan bulat dari {low} sampai {high}", **a),
        "service_letter": lambda: tr(E, "harus satu huruf besar, mis. A"),
        "office_names": lambda: tr(E, "harus tabel kode kantor (2-5 huruf besar atau angka) = nama kantor, "
                                      "mis. { BDG = \"Kantor Imigrasi Bandung\" }"),
        "services_empty": lambda: tr(E, "harus berisi paling sedikit satu layanan"),
        "service_names": lambda: tr(E, "harus tabel satu huruf besar = nama, mis. { A = \"Paspor (booking online)\" }"),
        "counters_empty": lambda: tr(E, "harus berisi paling sedikit satu loket"),
        "counter_numbers": lambda: tr(E, "harus nomor loket 1-99 dengan layanannya berurutan, "
                                         "mis. { \"1\" = [\"B\", \"A\"] }"),
        "counter_services": lambda: tr(E, "setiap loket harus berisi huruf layanan yang berbeda, berurutan, "
                                          "mis. [\"A\", \"B\"]"),
        "database_url": lambda: tr(E, "harus kosong (SQLite di folder data), \"sqlite:///PATH\" atau "
                                      "\"postgresql+psycopg://user@host/db\""),
        "categories": lambda: tr(E, "harus daftar yang diambil dari lansia, anak, disabilitas, ibu_hamil"),
        "clock": lambda: tr(E, "harus jam dalam bentuk HH:MM, mis. 08:00"),
        "hours_range": lambda: tr(E, "harus kosong (kapan saja) atau \"HH:MM-HH:MM\" dengan awal sebelum akhir, "
                                     "mis. \"07:30-10:00\""),
        "weekdays": lambda: tr(E, "harus daftar yang tidak kosong dari mon, tue, wed, thu, fri, sat, sun"),
        "iso_dates": lambda: tr(E, "harus daftar tanggal YYYY-MM-DD, mis. [\"2026-12-25\"]"),
        "host": lambda: tr(E, "harus alamat untuk didengarkan, mis. 127.0.0.1"),
        "url_path": lambda: tr(E, "harus path URL yang diawali /, mis. /webhook"),
        "http_url": lambda: tr(E, "harus URL http(s)"),
        "fraction": lambda: tr(E, "harus angka dari 0.0 (senyap) sampai 1.0 (volume penuh)"),
        "seconds": lambda: tr(E, "harus {low} sampai {high} detik", **a),
        "language": lambda: tr(E, "harus id (Bahasa Indonesia) atau en (English)"),
        "one_of": lambda: tr(E, "harus salah satu dari {choices}", **a),
        "printable": lambda: tr(E, "harus paling banyak {most} karakter yang dapat dicetak, tanpa spasi", **a),
        "decoders": lambda: tr(E, "harus daftar pembaca yang berbeda dari {choices}, yang pertama dicoba lebih "
                                  "dahulu", **a),
        "baud": lambda: tr(E, "harus kecepatan baud standar: {choices}", **a),
        "printer_profile": lambda: tr(E, "harus profil printer python-escpos seperti TM-T20II (80 mm) atau "
                                         "POS-5890 (58 mm); daftarnya ada di docs/printing.md"),
        "public_url": lambda: tr(E, "harus kosong (mati) atau alamat yang dipakai ponsel dan TV, "
                                    "mis. http://192.168.1.10:8089"),
        "paper_mm": lambda: tr(E, "harus 0, 58 atau 80"),
        "printer_baudrate": lambda: tr(E, "harus 9600, 19200, 38400, 57600 atau 115200"),
        "station": lambda: tr(E, "harus paling banyak 40 huruf, angka, '.', '_' atau '-'"),
        "template_name": lambda: tr(E, "harus nama template dari huruf kecil, angka dan _"),
        "template_language": lambda: tr(E, "harus kode bahasa WhatsApp seperti id atau en_US"),
        "type": lambda: _type_expectation(expected.args),
        "known_service": lambda: tr(E, "harus salah satu layanan di {other}: {services}", **a),
        "other_letter": lambda: tr(E, "harus huruf lain daripada {other}", **a),
        "counter_known_services": lambda: tr(E, "setiap loket hanya boleh memakai layanan di {other}: {services}",
                                             **a),
        "not_before": lambda: tr(E, "tidak boleh sebelum {other} = {value}", **a),
        "at_least": lambda: tr(E, "harus paling sedikit {other} = {value} hari", **a),
        "needed_for_cloud_api": lambda: tr(E, "harus diisi bila {other} = cloud_api", **a),
        "needed_for_transport": lambda: tr(E, "harus diisi bila {other} = {transport}", **a),
        "paper_width_unknown": lambda: tr(E, "harus 58 atau 80: {other} {profile} tidak menyebut lebar kertasnya",
                                          **a),
        "more_minutes_than": lambda: tr(E, "harus lebih dari {other} = {value} menit", **a),
    }
    return texts[expected.id]()


EXPECTATION_IDS = frozenset(  # the ids :func:`expectation` words (a test keeps it equal to checks.ENGLISH)
    ["office_code", "non_empty", "timezone", "minutes", "int_range", "service_letter", "office_names",
     "services_empty", "service_names", "counters_empty", "counter_numbers", "counter_services", "database_url",
     "categories", "clock", "hours_range", "weekdays", "iso_dates", "host", "url_path", "http_url", "fraction",
     "seconds", "language", "one_of", "printable", "decoders", "baud", "printer_profile", "public_url", "paper_mm",
     "printer_baudrate", "station", "template_name", "template_language", "type", "known_service",
     "other_letter", "counter_known_services", "not_before", "at_least", "needed_for_cloud_api",
     "needed_for_transport", "paper_width_unknown", "more_minutes_than"])


def _shown_arg(value: Any, by_key: bool = False) -> str:
    if isinstance(value, KeyRef):
        return str(value) if by_key else f"“{label(value)}”"
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def type_words(tp: Any) -> str:
    """A key's type in the chosen language ("bilangan bulat", "daftar teks")."""
    origin = typing.get_origin(tp)
    if origin is list:
        return tr(E, "daftar {item}", item=type_words(typing.get_args(tp)[0]))
    if origin is dict:
        key, value = typing.get_args(tp)
        return tr(E, "tabel {key} → {value}", key=type_words(key), value=type_words(value))
    if tp is int:
        return tr(E, "bilangan bulat")
    if tp is float:
        return tr(E, "angka")
    if tp is bool:
        return tr(E, "benar/salah")
    return tr(E, "teks")


def _type_expectation(args: dict[str, Any]) -> str:
    kind = type_words(args["tp"])
    example = args.get("example")
    if example in (None, "", [], {}):
        return tr(E, "harus {type}", type=kind)
    return tr(E, "harus {type}, ditulis seperti {example}", type=kind, example=toml_value(example))


def shown(value: Any) -> str:
    """A refused value as the person entered it."""
    if value == "" or value is None:
        return tr(E, "kosong")
    try:
        text = f"'{value}'" if isinstance(value, str) else toml_value(value) if isinstance(value, (list, dict)) \
            else str(value)
    except TypeError:  # TOML dates typed into a list: shown as Python has them
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def refusal(exc: ConfigError) -> str:
    """"Tidak disimpan: Kode kantor — harus ... (tertulis: 'j k')." in the chosen language."""
    if exc.key is None or exc.expected is None or not exc.has_value:
        return tr(C, "Tidak disimpan: {error}", error=str(exc))  # not about one value (the file, a section)
    return tr(C, "Tidak disimpan: {label} — {expected} (tertulis: {value}).", label=label(exc.key),
              expected=expectation(exc.expected), value=shown(exc.value))


def in_file(exc: ConfigError) -> str:
    """The refusal as the command line says it, in the chosen language: the TOML key
    named, as the administrator finds it in the file ("office.code = 'j k': harus ...")."""
    if exc.key is None or exc.expected is None or not exc.has_value:
        return str(exc)  # about the file or a section: worded where it was raised
    return f"{exc.key} = {shown(exc.value)}: {expectation(exc.expected, by_key=True)}"
