"""Users and their roles. A user belongs to a unit (staff) or a district (managers)."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    UNIT_STAFF = "unit_staff", _("责任单位工作人员")
    DISTRICT_MANAGER = "district_manager", _("区招商投资局管理人员")
    CITY = "city", _("市级用户（只读）")
    SYSTEM = "system", _("系统账号（接口）")


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.UNIT_STAFF)
    unit = models.ForeignKey(
        "projects.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("所属单位"),
    )
    district = models.ForeignKey(
        "projects.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("所属区县"),
        help_text=_("管理人员必填；单位工作人员取所属单位的区县；系统账号留空则可读全部区县。"),
    )
    read_only = models.BooleanField(
        _("只读"), default=False, help_text=_("勾选后该账号只能查询，不能修改任何数据。")
    )
    password_sign_in = models.BooleanField(
        _("可用密码登录页面"),
        default=False,
        help_text=_("仅对系统账号有效：系统账号默认只能用令牌调用接口，勾选后也可用密码登录页面。"),
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def clean(self):
        super().clean()
        if self.is_superuser:
            return
        if self.role == Role.UNIT_STAFF:
            if not self.unit_id:
                raise ValidationError({"unit": _("责任单位工作人员必须指定所属单位。")})
            self.district_id = self.unit.district_id
        elif self.role == Role.DISTRICT_MANAGER and not self.district_id:
            raise ValidationError({"district": _("管理人员必须指定所属区县。")})
        if self.unit_id and self.district_id and self.unit.district_id != self.district_id:
            raise ValidationError({"unit": _("所属单位不在所属区县内。")})

    @property
    def home_district_id(self):
        if self.unit_id and not self.district_id:
            return self.unit.district_id
        return self.district_id
